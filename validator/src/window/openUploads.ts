import { describeError, isCrucibleError } from '@crucible/core';
import { maxGradientBytes, type CodecConfig, type ParamSpec } from '@crucible/codec';
import { paramTable } from '@crucible/model';
import { decodeUpdate, openSealed, sealedKeyHash, type DecodedUpdate, type RejectionReason, type RunConfig } from '@crucible/protocol';
import { contentHash } from '@crucible/storage';
import type { CollectedWindow } from './collectWindow.js';

/** One miner's upload for a window: pinned, opened with its revealed key, verified and decoded once. */
export interface Upload {
  uid: number;
  hotkey: string;
  window: number;
  /** The signed update's bytes (what evaluation workers receive) and their blake2b-256. */
  bytes: Uint8Array;
  contentHash: string;
  /** When this validator first saw the sealed object (ms, its own clock). */
  firstSeenAt: number;
  /** Verified, decoded once, with its norm: the only form the rest of the window uses. */
  update: DecodedUpdate;
}

export interface Refusal {
  uid: number;
  hotkey: string;
  reason: RejectionReason;
  detail: string;
}

/** The largest sealed update a run allows: the largest signed update plus the seal's header and tag. */
export function maxSealedBytes(run: Pick<RunConfig, 'model' | 'codec'>): number {
  return maxGradientBytes(paramTable(run.model), run.codec) + 4 + 1 + 32 + 12 + 16;
}

/** What a miner's bytes can do wrong, as a verdict; anything else about them is `invalid`. */
function reasonOf(error: unknown): { reason: RejectionReason; detail: string } {
  const r = isCrucibleError(error) ? String(error.details['reason'] ?? error.code) : 'UNKNOWN';
  return { reason: r === 'NON_FINITE' ? 'non_finite' : 'invalid', detail: `${r}: ${String(describeError(error).message)}` };
}

/**
 * The collected window's uploads, opened and decoded: late, missing and unreachable miners, unrevealed
 * keys and every way the bytes can be wrong (seal, signature, window, hotkey, codec, parameter table,
 * non-finite values) become refusals with a reason. Nothing a miner uploads can throw out of here.
 */
export function openUploads(collected: CollectedWindow, o: { table: readonly ParamSpec[]; codec: CodecConfig }): { uploads: Upload[]; refusals: Refusal[] } {
  const uploads: Upload[] = [];
  const refusals: Refusal[] = [];
  const maxBytes = maxGradientBytes(o.table, o.codec);
  for (const m of collected.miners) {
    if (m.status !== 'on_time') {
      refusals.push({ uid: m.uid, hotkey: m.hotkey, reason: m.status, detail: m.detail });
      continue;
    }
    if (!m.key) {
      try {
        sealedKeyHash(m.sealed);
      } catch (error) {
        refusals.push({ uid: m.uid, hotkey: m.hotkey, ...reasonOf(error) });
        continue;
      }
      refusals.push({ uid: m.uid, hotkey: m.hotkey, reason: 'missing', detail: `sealed update first seen in time, but its key was not: ${m.keyDetail}` });
      continue;
    }
    try {
      const bytes = openSealed(m.sealed, m.key);
      const update = decodeUpdate(bytes, { params: o.table, hotkey: m.hotkey, window: collected.window, codec: o.codec, maxBytes });
      uploads.push({ uid: m.uid, hotkey: m.hotkey, window: collected.window, bytes, contentHash: contentHash(bytes), firstSeenAt: m.firstSeenAt, update });
    } catch (error) {
      refusals.push({ uid: m.uid, hotkey: m.hotkey, ...reasonOf(error) });
    }
  }
  return { uploads, refusals };
}
