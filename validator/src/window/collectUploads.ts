import { describeError, isCrucibleError, type Logger } from '@crucible/core';
import { maxGradientBytes, type CodecConfig, type ParamSpec } from '@crucible/codec';
import { decodeUpdate, type DecodedUpdate } from '@crucible/protocol';
import { gradientKey, gradientsWindowPrefix, type ObjectStore, type S3Pointer } from '@crucible/storage';
import type { RejectionReason } from '../gauntlet/verdict.js';

/** One miner's upload for a window, downloaded and verified (signature, header, parameter table). */
export interface Upload {
  uid: number;
  hotkey: string;
  window: number;
  key: string;
  pointer: S3Pointer;
  /** S3 LastModified, ms since epoch. */
  uploadedAt: number;
  /** Verified, decoded once, with its norm: the only form the rest of the window uses. */
  update: DecodedUpdate;
}

export interface Refusal {
  uid: number;
  hotkey: string;
  reason: RejectionReason;
  detail: string;
}

export interface Miner {
  uid: number;
  hotkey: string;
  pointer: S3Pointer | undefined;
  store: ObjectStore | undefined;
}

export interface CollectOptions {
  window: number;
  table: readonly ParamSpec[];
  codec: CodecConfig;
  /** Uploads whose LastModified is after this (ms since epoch) are late; undefined: no late check. */
  lateAfter?: number;
  logger?: Logger;
}

/** The WIRE_FORMAT reasons that mean non-finite values; everything else a blob can do is `invalid`. */
function reasonOf(error: unknown): { reason: RejectionReason; detail: string } {
  if (isCrucibleError(error) && error.code === 'WIRE_FORMAT') {
    const r = String(error.details['reason'] ?? 'WIRE_FORMAT');
    return { reason: r === 'NON_FINITE' ? 'non_finite' : 'invalid', detail: `${r}: ${error.message}` };
  }
  if (isCrucibleError(error) && error.code === 'STORAGE_TOO_LARGE') return { reason: 'invalid', detail: `TOO_LARGE: ${error.message}` };
  return { reason: 'unavailable', detail: String(describeError(error).message) };
}

/**
 * Downloads, verifies and decodes (once) each miner's `gradients/<w>/<hotkey>.crg`: missing, late (LastModified after
 * the deadline), over the size cap, or failing decodeGradient (signature, window, hotkey, codec,
 * parameter table) become refusals with a reason; every error a miner's bytes can cause is caught here.
 */
export async function collectUploads(miners: readonly Miner[], o: CollectOptions): Promise<{ uploads: Upload[]; refusals: Refusal[] }> {
  const uploads: Upload[] = [];
  const refusals: Refusal[] = [];
  const maxBytes = maxGradientBytes(o.table, o.codec);
  await Promise.all(
    miners.map(async (m) => {
      const refuse = (reason: RejectionReason, detail: string) => refusals.push({ uid: m.uid, hotkey: m.hotkey, reason, detail });
      if (!m.store || !m.pointer) return refuse('unavailable', 'no readable bucket committed');
      const key = gradientKey(o.window, m.hotkey);
      try {
        const listed = (await m.store.list(gradientsWindowPrefix(o.window))).find((x) => x.key === key);
        if (!listed) return refuse('missing', `no ${key}`);
        const uploadedAt = listed.lastModified?.getTime() ?? 0;
        if (o.lateAfter !== undefined && uploadedAt > o.lateAfter) {
          return refuse('late', `uploaded ${uploadedAt - o.lateAfter} ms after the deadline (grace included)`);
        }
        if (listed.size > maxBytes) return refuse('invalid', `TOO_LARGE: ${listed.size} bytes > cap ${maxBytes}`);
        const object = await m.store.get(key, { maxBytes, timeoutMs: 60_000 });
        const update = decodeUpdate(object.body, { params: o.table, hotkey: m.hotkey, window: o.window, codec: o.codec, maxBytes });
        uploads.push({ uid: m.uid, hotkey: m.hotkey, window: o.window, key, pointer: m.pointer, uploadedAt, update });
      } catch (error) {
        const { reason, detail } = reasonOf(error);
        refuse(reason, detail);
      }
    }),
  );
  const byUid = (a: { uid: number }, b: { uid: number }) => a.uid - b.uid;
  return { uploads: uploads.sort(byUid), refusals: refusals.sort(byUid) };
}
