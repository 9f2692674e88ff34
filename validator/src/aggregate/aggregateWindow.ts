import type { Keypair } from '@crucible/core';
import { GptSession, paramTable, type BatchSource, type Checkpoint, type GptParams } from '@crucible/model';
import { checkpointParamsToDelete, outerStep, publishCheckpoint, seedDomains, type HeldCheckpoint, type PublishedCheckpoint, type RetentionRule, type RunConfig, type Verdict } from '@crucible/protocol';
import { checkpointManifestKey, checkpointParamsKey, deleteWindowsOlderThan, type ObjectStore } from '@crucible/storage';
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
  /** The new checkpoint as the follower adopts it (with the signed manifest bytes it persists). */
  held: HeldCheckpoint & { bytes: Uint8Array };
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
  return { published, held: { manifest: published.manifest, signer: o.signer.address, checkpoint, bytes: published.manifestBytes }, contributors: chosen.map((v) => v.hotkey), momentum };
}

/**
 * The protocol's retention rule (checkpointParamsToDelete) applied to this validator's bucket: the
 * parameters of the newest `keepCheckpoints` checkpoints and of one snapshot per `snapshotEvery` windows
 * stay, every signed manifest stays (the hash chain a joining node walks, a few kilobytes each), and
 * gradient objects older than `gradientWindows` go. One listing of checkpoints/ finds what has
 * parameters; deletions are by exact key.
 */
export async function applyRetention(store: ObjectStore, window: number, o: RetentionRule & { gradientWindows: number }): Promise<string[]> {
  const windows = new Set<number>();
  const withParams = new Set<number>();
  for (const { key } of await store.list('checkpoints/')) {
    const m = /^checkpoints\/(\d{1,15})\/(.+)$/.exec(key);
    if (!m) continue;
    const w = Number(m[1]);
    if (key === checkpointManifestKey(w)) windows.add(w);
    else if (key === checkpointParamsKey(w)) withParams.add(w);
  }
  const deleted = checkpointParamsToDelete([...windows], [...withParams].filter((w) => windows.has(w)), o).map((w) => checkpointParamsKey(w));
  if (deleted.length > 0) await store.delete(deleted);
  deleted.push(...(await deleteWindowsOlderThan(store, window, o.gradientWindows)));
  return deleted;
}
