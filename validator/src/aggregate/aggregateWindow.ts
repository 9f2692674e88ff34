import type { Keypair } from '@crucible/core';
import { GptSession, paramTable, type BatchSource, type Checkpoint, type GptParams } from '@crucible/model';
import { listCheckpointWindows, outerStep, publishCheckpoint, seedDomains, type HeldCheckpoint, type PublishedCheckpoint, type RunConfig } from '@crucible/protocol';
import { checkpointsWindowPrefix, deleteWindowsOlderThan, type ObjectStore } from '@crucible/storage';
import type { Verdict } from '@crucible/protocol';
import type { Upload } from '../window/openUploads.js';

/** The top-G scored miners of a window, best first (ties to the lower uid). */
export function pickContributors(verdicts: readonly Verdict[], topG: number): Array<Extract<Verdict, { status: 'scored' }>> {
  return verdicts
    .filter((v): v is Extract<Verdict, { status: 'scored' }> => v.status === 'scored')
    .sort((a, b) => b.score - a.score || a.uid - b.uid)
    .slice(0, topG);
}

/**
 * Mean loss of `params` on a fixed batch of the held-out pages: of a dataset, only the (at most
 * session.batch) validation pages the batch uses are read, from the disk cache after the first time.
 */
export async function validationLoss(session: GptSession, data: BatchSource, params: GptParams): Promise<number> {
  const b = await data.validationBatch(session.batch, session.config.blockSize, seedDomains.validationBatch);
  const seq = await session.sequenceLoss(params, { tokens: b.inputs, targets: b.targets });
  let s = 0;
  for (const v of seq) s += v;
  return s / seq.length;
}

export interface AggregateResult {
  published: PublishedCheckpoint;
  held: HeldCheckpoint;
  contributors: string[];
  /** Outer momentum buffers after the step (empty when run.outer.momentum is 0); pass to the next call. */
  momentum: Map<string, Float32Array>;
}

/**
 * Checkpoint `window` = outerStep(held head, top-G updates) — each update taken at the protocol's clip
 * rule (at most the median norm of the chosen) and averaged, θ ← θ − lr·mean — published to this validator's bucket with a manifest
 * signed by its hotkey, parent = the head it holds (so the checkpoint chain stays linear across
 * hand-overs). Undefined when nobody scored.
 */
export async function aggregateWindow(o: {
  run: RunConfig;
  window: number;
  head: HeldCheckpoint;
  verdicts: readonly Verdict[];
  uploads: ReadonlyMap<string, Upload>;
  /** The window's reference norm (the scale rule): every contribution is taken at it. */
  reference?: number | null;
  signer: Keypair;
  store: ObjectStore;
  validation?: { session: GptSession; data: BatchSource };
  /** The previous step's momentum (kept in memory by the aggregator; a new aggregator starts at 0). */
  momentum?: ReadonlyMap<string, Float32Array>;
}): Promise<AggregateResult | undefined> {
  const chosen = pickContributors(o.verdicts, o.run.outer.topG).filter((v) => o.uploads.has(v.hotkey));
  if (chosen.length === 0 || o.head.manifest.window >= o.window) return undefined;
  const table = paramTable(o.run.model);
  const updates = chosen.map((v) => o.uploads.get(v.hotkey)!.update);
  const { params, momentum } = outerStep(o.head.checkpoint.params, table, updates, { learningRate: o.run.outer.learningRate, momentum: o.run.outer.momentum, reference: o.reference ?? null }, o.momentum ?? new Map());
  const checkpoint: Checkpoint = { config: o.run.model, params, metadata: {} };
  const loss = o.validation ? await validationLoss(o.validation.session, o.validation.data, params) : null;
  const published = await publishCheckpoint(
    o.store,
    checkpoint,
    {
      netuid: o.run.netuid,
      window: o.window,
      parentHash: o.head.manifest.paramsHash,
      parentWindow: o.head.manifest.window,
      contributors: chosen.map((v) => ({ hotkey: v.hotkey, uid: v.uid, weight: 1 / chosen.length })),
      validationLoss: loss !== null && Number.isFinite(loss) ? loss : null,
      run: o.run,
    },
    o.signer,
  );
  return { published, held: { manifest: published.manifest, signer: o.signer.address, checkpoint }, contributors: chosen.map((v) => v.hotkey), momentum };
}

/**
 * Keeps the parameters of the newest `keepCheckpoints` checkpoints and the gradient objects of the last
 * `gradientWindows` windows. Older checkpoints lose their parameters but keep their signed manifests
 * (a few kilobytes each): the chain of manifests back to genesis is how a new or restarted follower
 * proves the head descends from genesis, and it downloads parameters only for the newest links.
 */
export async function applyRetention(store: ObjectStore, window: number, o: { keepCheckpoints: number; gradientWindows: number }): Promise<string[]> {
  const deleted: string[] = [];
  const windows = await listCheckpointWindows(store);
  for (const w of windows.slice(0, Math.max(0, windows.length - o.keepCheckpoints))) {
    const keys = (await store.list(checkpointsWindowPrefix(w))).map((x) => x.key).filter((k) => !k.endsWith('.crm'));
    if (keys.length > 0) await store.delete(keys);
    deleted.push(...keys);
  }
  deleted.push(...(await deleteWindowsOlderThan(store, window, o.gradientWindows)));
  return deleted;
}
