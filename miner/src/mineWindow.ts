import { windowStartBlock } from '@crucible/core';
import { bestChainHashAt, blockHashAt } from '@crucible/chain';
import { windowPlan, type HeldCheckpoint, type RunConfig, type WindowPlan } from '@crucible/protocol';
import { withTimeout } from './chainTime.js';
import { commitUpdate, dropUpdate, encodeUpdate, recordUpload } from './encodeUpdate.js';
import { runInnerLoop } from './innerLoop.js';
import { syncWithChain, type MinerContext } from './minerContext.js';
import { uploadBeforeDeadline } from './uploadLifecycle.js';
import { estimates } from './windowEstimates.js';

export type WindowOutcome = 'uploaded' | 'upload-failed' | 'skipped' | 'not-registered' | 'no-base' | 'failed';

/** What happened in one window; `window` log lines and metrics carry the same figures. */
export interface WindowReport {
  window: number;
  outcome: WindowOutcome;
  reason?: string;
  steps?: number;
  plannedSteps?: number;
  /** Device runs the steps took (WindowTrainer.run calls; 1 when the window's steps fitted at once). */
  runs?: number;
  losses?: number[];
  tokensPerSecond?: number;
  bytes?: number;
  key?: string;
  baseWindow?: number;
  baseHash?: string;
  /** Chain head minus the window's first block when the miner picked the window up. */
  lagBlocks?: number;
  syncMs?: number;
  trainMs?: number;
  /** From the end of training: registration and the seed block's finality confirmed (encoding runs meanwhile). */
  confirmMs?: number;
  /** From the end of training, beside the confirmation: error feedback, SparseLoCo, signing and sealing. */
  encodeMs?: number;
  /** After both: the durable state commit of the update with its error feedback and moments. */
  persistMs?: number;
  uploadMs?: number;
  /** After the upload, beside the next window: the outcome's commit and the fsyncs (flushMs of it). */
  recordMs?: number;
  flushMs?: number;
}

/** A window whose update is uploaded (or that ended otherwise), and its record still being written. */
export interface MinedWindow {
  /** The outcome, known once the upload is done. */
  report: WindowReport;
  /** The same report with the record's figures, once the record is durable, logged and counted; never rejects. */
  recorded: Promise<WindowReport>;
}

function finish(ctx: MinerContext, report: WindowReport): WindowReport {
  const m = ctx.metrics;
  m.window.set(report.window);
  m.windows.inc({ outcome: report.outcome });
  const { losses, ...rest } = report;
  const fields = {
    ...rest,
    ...(losses?.length ? { lossFirst: round(losses[0]!), lossLast: round(losses.at(-1)!) } : {}),
    ...(report.tokensPerSecond !== undefined ? { tokensPerSecond: Math.round(report.tokensPerSecond) } : {}),
  };
  if (report.outcome === 'failed' || report.outcome === 'upload-failed' || report.outcome === 'not-registered') ctx.logger.warn('window', fields);
  else ctx.logger.info('window', fields);
  if (report.lagBlocks !== undefined) m.lagBlocks.set(report.lagBlocks);
  for (const phase of ['sync', 'train', 'encode', 'upload'] as const) {
    const ms = report[`${phase}Ms`];
    if (ms !== undefined) m.phaseSeconds.set({ phase }, ms / 1000);
  }
  return report;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** A window that ended before an upload: nothing is left to record. */
function ended(ctx: MinerContext, report: WindowReport): MinedWindow {
  return { report, recorded: Promise.resolve(finish(ctx, report)) };
}

/**
 * Syncs, trains, encodes and uploads one window; every expected outcome is a report, not an exception.
 * Resolves once the upload is done: the record (the outcome's commit, the fsyncs) runs on beside the
 * next window (ctx.live.tail), whose encoding waits for it.
 */
export async function mineWindow(ctx: MinerContext, run: RunConfig, window: number): Promise<MinedWindow> {
  const ready = await prepareWindow(ctx, run, window);
  if (!('plan' in ready)) return ended(ctx, ready);
  const trained = await trainWindow(ctx, run, ready);
  if ('outcome' in trained) return ended(ctx, trained);
  // Pipelined: the moments are final now and the thread pool writes them; the seed block's finality and
  // the registration are confirmed while the update is encoded into staged error feedback; the commit
  // waits for both, and a window that is not confirmed drops what was encoded.
  const afterTraining = Date.now();
  const moments = ctx.engine.writeOptimizerAhead();
  moments.catch(() => undefined);
  const confirming = confirmBeforeUpload(ctx, ready, trained.report).then((r) => ({ refused: r, ms: Date.now() - afterTraining }));
  const encoded = await encodeUpdate(ctx, run, { window, baseHash: ready.base.manifest.paramsHash, delta: trained.delta }).catch(async (error: unknown) => {
    void moments.then((name) => name !== null && ctx.state.discard(name), () => undefined);
    await confirming.catch(() => undefined);
    throw error;
  });
  const confirmed = await confirming;
  if (confirmed.refused) {
    dropUpdate(ctx, encoded, moments);
    return ended(ctx, confirmed.refused);
  }
  const confirmMs = confirmed.ms;
  const update = await commitUpdate(ctx, encoded, moments);
  const upload = await uploadBeforeDeadline(ctx, update.key, update.bytes, window, run.window.blocksPerWindow);
  const est = estimates(ctx);
  // A failed upload says nothing about how long the next one takes.
  if (upload.ok) est.uploadMs = Math.max(upload.ms, est.uploadMs * 0.5, 200);
  const report: WindowReport = {
    ...trained.report,
    confirmMs,
    encodeMs: update.encodeMs,
    persistMs: update.persistMs,
    uploadMs: upload.ms,
    bytes: update.bytes.length,
    key: update.key,
    ...(upload.ok ? { outcome: 'uploaded' } : { outcome: 'upload-failed', reason: `upload skipped for this window: ${upload.reason}` }),
  };
  if (upload.ok) {
    const m = ctx.metrics;
    m.innerSteps.set(trained.steps);
    m.lossFirst.set(trained.losses[0]!);
    m.lossLast.set(trained.losses.at(-1)!);
    m.tokensPerSecond.set(report.tokensPerSecond ?? 0);
    m.uploadBytes.set(update.bytes.length);
    m.uploadSeconds.set(upload.ms / 1000);
    m.baseLagWindows.set(window - ready.base.manifest.window);
  }
  const recordStarted = Date.now();
  const recorded = recordUpload(ctx, run, window, update, upload).then(
    ({ flushMs }) => finish(ctx, { ...report, recordMs: Date.now() - recordStarted, flushMs }),
    (error: unknown) => finish(ctx, { ...report, outcome: 'failed', reason: `recording the upload failed: ${String((error as Error)?.message ?? error)}` }),
  );
  ctx.live.tail = recorded.then(() => undefined);
  return { report, recorded };
}

interface ReadyWindow {
  window: number;
  plan: WindowPlan;
  /** The best chain's hash of the window's first block, which the plan was made from. */
  seedHash: `0x${string}`;
  base: HeldCheckpoint;
  /** The chain sync started for this window (registration, sources, checkpoints). */
  synced: Promise<void>;
  /** When the upload must be done by (ms since epoch, margin included). */
  finishBy: number;
  common: Pick<WindowReport, 'window' | 'lagBlocks' | 'baseWindow' | 'baseHash' | 'syncMs'>;
}

interface TrainedWindow {
  steps: number;
  delta: Map<string, Float32Array>;
  losses: number[];
  report: WindowReport;
}

/** Step 1: the window's plan (seed, pages), its base checkpoint, and whether there is time to train. */
async function prepareWindow(ctx: MinerContext, run: RunConfig, window: number): Promise<ReadyWindow | WindowReport> {
  const { clock, engine } = ctx;
  const bpw = run.window.blocksPerWindow;
  const started = Date.now();
  const lagBlocks = clock.block - windowStartBlock(window, bpw);
  const last = ctx.state.state.lastUploadedWindow;
  if (last !== null && window <= last) return { window, outcome: 'skipped', reason: `window ${last} was already uploaded`, lagBlocks };

  // The chain sync runs beside training when a base is already held: the newest checkpoint a window may
  // use is normally fetched by the sync at the end of the previous window (see startMiner), and an
  // update against the checkpoint just before base(w) is still accepted by validators.
  // The best chain's hash, at once: waiting for finality would cost the window its first blocks. It is
  // checked against the finalized hash before the upload (confirmBeforeUpload).
  const seedBlockHash = withTimeout(bestChainHashAt(ctx.client, windowStartBlock(window, bpw)), 10_000, 'reading the window block hash');
  seedBlockHash.catch(() => undefined);
  const synced = syncWithChain(ctx);
  let base = ctx.checkpoints.baseFor(window);
  if (!base) {
    await synced;
    base = ctx.checkpoints.baseFor(window);
  }
  if (!ctx.live.registered) {
    await synced;
    if (!ctx.live.registered) return { window, outcome: 'not-registered', reason: 'hotkey not registered on the subnet', lagBlocks };
  }
  if (!base) return { window, outcome: 'no-base', reason: `no verified checkpoint at or before window ${window - 2} yet`, lagBlocks };
  const seedHash = await seedBlockHash;
  const plan = windowPlan(run, { genesisHash: ctx.genesisHash, window, windowBlockHash: seedHash });
  await engine.prepare(run);
  const common = { window, lagBlocks, baseWindow: base.manifest.window, baseHash: base.manifest.paramsHash, syncMs: Date.now() - started };
  const finishBy = clock.windowDeadline(window, bpw) - ctx.config.timing.uploadMarginMs;
  const est = estimates(ctx);
  const stopAt = finishBy - est.encodeMs - est.uploadMs;
  if (stopAt - Date.now() <= (ctx.config.timing.minTrainMs || est.stepMs)) {
    return { ...common, outcome: 'skipped', reason: `too little time left in the window (${Math.max(0, stopAt - Date.now())} ms to train)` };
  }
  return { window, plan, seedHash, base, synced, finishBy, common };
}

/** Step 2: H inner steps on the assigned pages, stopping early rather than uploading late. */
async function trainWindow(ctx: MinerContext, run: RunConfig, ready: ReadyWindow): Promise<TrainedWindow | WindowReport> {
  const { engine, config, logger } = ctx;
  const est = estimates(ctx);
  engine.beginWindow();
  const plannedSteps = config.train.maxSteps > 0 ? Math.min(config.train.maxSteps, run.inner.steps) : run.inner.steps;
  const hotkey = ctx.hotkey.address;
  const pages = ready.plan.pagesOf(hotkey);
  const { blockSize } = run.model;
  // The window's pages, fetched (verified, from the disk cache when prefetched) before the first step.
  const windowPages = await engine.data.windowPages(pages);
  const trained = await runInnerLoop({
    trainer: engine.trainer,
    base: ready.base.checkpoint.params,
    batch: (step) => {
      const b = windowPages.trainBatch(pages, run.inner.batchSize, blockSize, ready.plan.batchSeed(hotkey, step));
      return { tokens: b.inputs, targets: b.targets };
    },
    steps: plannedSteps,
    learningRate: run.inner.learningRate,
    stopAt: ready.finishBy - est.encodeMs - est.uploadMs,
    expectedStepMs: est.stepMs,
    shouldStop: () => ctx.live.stopping,
  });
  if (trained.maxStepMs > 0) est.stepMs = trained.maxStepMs;
  const report: WindowReport = {
    ...ready.common,
    outcome: 'uploaded',
    steps: trained.steps,
    plannedSteps,
    runs: trained.runs,
    losses: trained.losses,
    trainMs: trained.trainMs,
    tokensPerSecond: trained.trainMs > 0 ? (trained.tokens * 1000) / trained.trainMs : 0,
  };
  // Shutting down: drop the partial window; the error feedback is untouched, so nothing is lost.
  if (ctx.live.stopping) return { ...report, outcome: 'skipped', reason: 'stopping' };
  if (trained.steps === 0) return { ...report, outcome: 'skipped', reason: 'no time for a single inner step' };
  if (trained.steps < plannedSteps) logger.warn('stopped training early to make the deadline', { window: ready.window, steps: trained.steps, planned: plannedSteps });
  return { steps: trained.steps, delta: trained.delta, losses: trained.losses, report };
}

/**
 * Step 3: the registration the sync found, and the window's seed block as finalized. A sync stuck on a
 * dropped chain connection must not hold the upload past the deadline: wait only while there is slack,
 * then go with the registration last seen. Training used the best chain's hash of the window's first
 * block; if finality settled on another block, the pages were not this window's and nothing is uploaded.
 */
async function confirmBeforeUpload(ctx: MinerContext, ready: ReadyWindow, trained: WindowReport): Promise<WindowReport | undefined> {
  const est = estimates(ctx);
  const slack = () => Math.max(0, Math.floor(ready.finishBy - Date.now() - est.encodeMs - est.uploadMs));
  await withTimeout(ready.synced, slack(), 'the chain sync').catch(() => ctx.logger.warn('chain sync still running at upload time; using the last known registration', { window: ready.window }));
  if (!ctx.live.registered) return { ...trained, outcome: 'not-registered', reason: 'hotkey deregistered during the window; not uploading' };
  const final = await withTimeout(blockHashAt(ctx.client, ready.plan.startBlock, { timeoutMs: slack() }), slack(), 'the seed block\'s finality').catch(() => undefined);
  if (final === undefined) ctx.logger.warn('the window\'s first block is not final yet at upload time; uploading on the best chain\'s seed', { window: ready.window });
  else if (final !== ready.seedHash) return { ...trained, outcome: 'skipped', reason: `the window's first block was reorganised (trained on ${ready.seedHash.slice(0, 10)}…, final ${final.slice(0, 10)}…)` };
  return undefined;
}
