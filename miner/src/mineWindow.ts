import { describeError, windowStartBlock } from '@crucible/core';
import { bestChainHashAt, blockHashAt, currentBlock } from '@crucible/chain';
import { decodeGradient, encodeGradient, sparseLoCoStep } from '@crucible/codec';
import { paramTable } from '@crucible/model';
import { openSealed, sealUpdate, windowBlocks, windowPlan, type HeldCheckpoint, type RunConfig, type WindowPlan } from '@crucible/protocol';
import { CONTENT_HASH_METADATA, contentHash, sealedUpdateKey, sealKeyKey } from '@crucible/storage';
import { withTimeout } from './chainTime.js';
import { restoreUnsent } from './errorFeedbackFile.js';
import { runInnerLoop } from './innerLoop.js';
import { syncWithChain, type MinerContext } from './minerContext.js';

export type WindowOutcome = 'uploaded' | 'upload-failed' | 'skipped' | 'not-registered' | 'no-base' | 'failed';

/** What happened in one window; `window` log lines and metrics carry the same figures. */
export interface WindowReport {
  window: number;
  outcome: WindowOutcome;
  reason?: string;
  steps?: number;
  plannedSteps?: number;
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
  /** Error feedback, SparseLoCo, signing and the durable state commit (persistMs of it). */
  encodeMs?: number;
  persistMs?: number;
  uploadMs?: number;
  /** fsyncs of the state committed before the upload (durability against power loss), after the upload. */
  flushMs?: number;
}

/** Planning estimates, refined every window (ms). */
export interface Estimates {
  stepMs: number;
  encodeMs: number;
  uploadMs: number;
}

export const initialEstimates = (): Estimates => ({ stepMs: 0, encodeMs: 500, uploadMs: 1000 });

const estimatesOf = new WeakMap<MinerContext, Estimates>();
function estimates(ctx: MinerContext): Estimates {
  let e = estimatesOf.get(ctx);
  if (!e) estimatesOf.set(ctx, (e = initialEstimates()));
  return e;
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
  if (report.outcome === 'uploaded') ctx.logger.info('window', fields);
  else if (report.outcome === 'failed' || report.outcome === 'upload-failed' || report.outcome === 'not-registered') ctx.logger.warn('window', fields);
  else ctx.logger.info('window', fields);
  if (report.lagBlocks !== undefined) m.lagBlocks.set(report.lagBlocks);
  for (const phase of ['sync', 'train', 'encode', 'upload'] as const) {
    const ms = report[`${phase}Ms`];
    if (ms !== undefined) m.phaseSeconds.set({ phase }, ms / 1000);
  }
  return report;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Syncs, trains, encodes and uploads one window; every expected outcome is a report, not an exception. */
export async function mineWindow(ctx: MinerContext, run: RunConfig, window: number): Promise<WindowReport> {
  const ready = await prepareWindow(ctx, run, window);
  if (!('plan' in ready)) return finish(ctx, ready);
  const trained = await trainWindow(ctx, run, ready);
  if ('outcome' in trained) return finish(ctx, trained);
  const confirmed = await confirmBeforeUpload(ctx, ready, trained.report);
  if (confirmed) return finish(ctx, confirmed);
  const update = await encodeAndCommit(ctx, run, ready, trained);
  const upload = await uploadBeforeDeadline(ctx, update.key, update.bytes, window, run.window.blocksPerWindow);
  return finish(ctx, await recordUpload(ctx, run, ready, trained, update, upload));
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

interface CommittedUpdate {
  key: string;
  /** The sealed update (what is uploaded); its key is revealed after the deadline. */
  bytes: Uint8Array;
  sealKey: string;
  tensors: ReturnType<typeof sparseLoCoStep>;
  encodeMs: number;
  persistMs: number;
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
  const trained = await runInnerLoop({
    trainer: engine.trainer,
    base: ready.base.checkpoint.params,
    // The window's pages, fetched (verified, from the disk cache when prefetched) before the first step.
    corpus: await engine.data.windowPages(pages),
    pages,
    batchSeed: (step) => ready.plan.batchSeed(hotkey, step),
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

/**
 * Step 4: error feedback, SparseLoCo, signing, sealing (nobody can read the update before the deadline,
 * so nobody can copy it), and one durable commit of the sealed update and its key together with the
 * error feedback it leaves behind: a crash from here on either finds the update in storage or puts it
 * back into the error feedback.
 */
async function encodeAndCommit(ctx: MinerContext, run: RunConfig, ready: ReadyWindow, trained: TrainedWindow): Promise<CommittedUpdate> {
  const { engine, state } = ctx;
  const encodeStarted = Date.now();
  const tensors = sparseLoCoStep(engine.errorFeedback, trained.delta, run.codec);
  const signed = encodeGradient({ window: ready.window, baseCheckpoint: ready.base.manifest.paramsHash, config: run.codec, tensors, signer: ctx.hotkey });
  const { sealed: bytes, key: seal } = sealUpdate(signed);
  const sealKey = Buffer.from(seal).toString('hex');
  const key = sealedUpdateKey(ready.window, ctx.hotkey.address);
  const persistStarted = Date.now();
  // Views of the live buffers, not copies: nothing changes them until the commit has written them.
  const snap = engine.snapshot();
  const pendingFile = state.fileName(`upload-${ready.window}`, 'crg');
  await state.commit({ ...snap.files, [pendingFile]: bytes }, (s) => ({
    ...s,
    errorFeedback: snap.errorFeedback,
    optimizer: snap.optimizer,
    pending: { window: ready.window, file: pendingFile, key, sealKey },
  }), { sync: false });
  const encodeMs = Date.now() - encodeStarted;
  const est = estimates(ctx);
  est.encodeMs = Math.max(encodeMs, est.encodeMs * 0.5);
  return { key, bytes, sealKey, tensors, encodeMs, persistMs: Date.now() - persistStarted };
}

/**
 * Step 6: make the outcome durable. The fsyncs (against power loss), then deleting the files the commit
 * superseded, wait for the upload: an fsync beside it commits the file system's journal under the S3
 * server's own writes (measured here: uploads of 7 ms took 25–50 ms when they overlapped). A failed
 * upload puts its content back into the error feedback.
 */
async function recordUpload(
  ctx: MinerContext,
  run: RunConfig,
  ready: ReadyWindow,
  trained: TrainedWindow,
  update: CommittedUpdate,
  upload: Awaited<ReturnType<typeof uploadBeforeDeadline>>,
): Promise<WindowReport> {
  const { state, engine, logger } = ctx;
  const flushStarted = Date.now();
  await state.flush().catch((error: unknown) => logger.warn('state flush failed', { error: describeError(error) }));
  const flushMs = Date.now() - flushStarted;
  const est = estimates(ctx);
  // A failed upload says nothing about how long the next one takes.
  if (upload.ok) est.uploadMs = Math.max(upload.ms, est.uploadMs * 0.5, 200);
  const reported = { ...trained.report, encodeMs: update.encodeMs, persistMs: update.persistMs, uploadMs: upload.ms, flushMs, bytes: update.bytes.length, key: update.key };
  if (upload.ok) {
    // Its fsync can wait for the next flush: a state that still shows the upload pending (power lost
    // first) is settled at start by finding the update in storage, never uploaded twice.
    const reveal = revealOf(run, ready.window, ctx.hotkey.address, update.sealKey);
    await state.commit({}, (s) => ({ ...s, pending: null, lastUploadedWindow: ready.window, reveals: [...s.reveals, reveal] }), { sync: false });
    const m = ctx.metrics;
    m.innerSteps.set(trained.steps);
    m.lossFirst.set(trained.losses[0]!);
    m.lossLast.set(trained.losses.at(-1)!);
    m.tokensPerSecond.set(reported.tokensPerSecond ?? 0);
    m.uploadBytes.set(update.bytes.length);
    m.uploadSeconds.set(upload.ms / 1000);
    m.baseLagWindows.set(ready.window - ready.base.manifest.window);
    return { ...reported, outcome: 'uploaded' };
  }
  restoreUnsent(engine.errorFeedback, update.tensors, run.codec);
  const rolled = engine.snapshot();
  await state.commit(rolled.files, (s) => ({ ...s, errorFeedback: rolled.errorFeedback, optimizer: rolled.optimizer, pending: null }));
  return { ...reported, outcome: 'upload-failed', reason: `upload skipped for this window: ${upload.reason}` };
}

/** Step 5: one upload, retried with backoff by the store until the estimated end of the window; never after it. */
async function uploadBeforeDeadline(
  ctx: MinerContext,
  key: string,
  bytes: Uint8Array,
  window: number,
  bpw: number,
): Promise<{ ok: true; ms: number } | { ok: false; ms: number; reason: string }> {
  const started = Date.now();
  const lateBlock = windowStartBlock(window + 1, bpw);
  if (ctx.clock.block >= lateBlock) return { ok: false, ms: 0, reason: `the chain already reached block ${ctx.clock.block} (window ${window} ended at ${lateBlock})` };
  // Whole milliseconds: the store passes this to AbortSignal.timeout, which refuses fractions.
  const remaining = Math.floor(ctx.clock.windowDeadline(window, bpw) - started);
  if (remaining <= 0) return { ok: false, ms: 0, reason: 'the window is estimated to have ended' };
  ctx.logger.debug('uploading', { window, key, bytes: bytes.length, deadlineInMs: remaining });
  try {
    await ctx.store.put(key, bytes, { deadlineMs: remaining, contentType: 'application/octet-stream' });
  } catch (error) {
    return { ok: false, ms: Date.now() - started, reason: String(describeError(error).message) };
  }
  if (ctx.clock.block >= lateBlock) ctx.logger.warn('upload completed after the window ended; validators will count it late', { window, key });
  return { ok: true, ms: Date.now() - started };
}

/** The reveal a sealed upload of `window` owes: its key, due from the deadline block to the reveal block. */
function revealOf(run: RunConfig, window: number, hotkey: string, sealKey: string) {
  const blocks = windowBlocks(run, window);
  return { window, objectKey: sealKeyKey(window, hotkey), sealKey, deadlineBlock: blocks.deadlineBlock, revealBlock: blocks.revealBlock };
}

/**
 * Reveals the seal keys whose window's deadline block has come (validators read them before the reveal
 * block); a reveal whose reveal block has passed is dropped: validators no longer accept it. Called on
 * every block, beside training; never throws.
 */
export async function revealDueKeys(ctx: MinerContext): Promise<void> {
  const block = ctx.clock.block;
  for (const r of ctx.state.state.reveals) {
    if (block < r.deadlineBlock) continue;
    let outcome: 'revealed' | 'expired' | 'failed';
    if (block >= r.revealBlock) outcome = 'expired';
    else {
      try {
        await ctx.store.put(r.objectKey, Buffer.from(r.sealKey, 'hex'), { contentType: 'application/octet-stream', deadlineMs: 5_000 });
        outcome = 'revealed';
      } catch (error) {
        ctx.logger.warn('seal key reveal failed; retrying next block', { window: r.window, error: describeError(error) });
        outcome = 'failed';
      }
    }
    if (outcome === 'failed') continue;
    if (outcome === 'expired') ctx.logger.warn('seal key not revealed before the reveal block; validators will count the window missing', { window: r.window, revealBlock: r.revealBlock });
    else ctx.logger.debug('seal key revealed', { window: r.window, key: r.objectKey });
    await ctx.state.commit({}, (s) => ({ ...s, reveals: s.reveals.filter((x) => x.window !== r.window) }), { sync: false });
  }
}

/**
 * Finishes what a killed miner left: an update whose upload had started. If storage already holds it,
 * it counts as uploaded; if its window is still open, it is uploaded now; otherwise its content goes
 * back into the error feedback. In no case is a window uploaded twice.
 */
export async function settlePending(ctx: MinerContext, run: RunConfig): Promise<void> {
  const pending = ctx.state.state.pending;
  if (!pending) return;
  const bytes = await ctx.state.read(pending.file);
  const bpw = run.window.blocksPerWindow;
  const stored = await ctx.store.head(pending.key).catch(() => undefined);
  const reveal = revealOf(run, pending.window, ctx.hotkey.address, pending.sealKey);
  if (stored && stored.metadata[CONTENT_HASH_METADATA] === contentHash(bytes)) {
    await ctx.state.commit({}, (s) => ({ ...s, pending: null, lastUploadedWindow: Math.max(s.lastUploadedWindow ?? -1, pending.window), reveals: [...s.reveals, reveal] }));
    ctx.logger.info('update left by the previous run is in storage', { window: pending.window, key: pending.key });
    return;
  }
  ctx.clock.observe(await withTimeout(currentBlock(ctx.client), 10_000, 'reading the chain head'));
  if (ctx.clock.block < windowStartBlock(pending.window + 1, bpw)) {
    const upload = await uploadBeforeDeadline(ctx, pending.key, bytes, pending.window, bpw);
    if (upload.ok) {
      await ctx.state.commit({}, (s) => ({ ...s, pending: null, lastUploadedWindow: pending.window, reveals: [...s.reveals, reveal] }));
      ctx.logger.info('uploaded the update left by the previous run', { window: pending.window, key: pending.key, uploadMs: upload.ms });
      return;
    }
  }
  await ctx.engine.prepare(run);
  const decoded = decodeGradient(openSealed(bytes, Buffer.from(pending.sealKey, 'hex')), { params: paramTable(run.model), hotkey: ctx.hotkey.address });
  restoreUnsent(ctx.engine.errorFeedback, decoded.tensors, decoded.config);
  const snap = ctx.engine.snapshot();
  await ctx.state.commit(snap.files, (s) => ({ ...s, errorFeedback: snap.errorFeedback, optimizer: snap.optimizer, pending: null }));
  ctx.logger.warn('the previous run\'s update missed its window; its content goes back into the error feedback', { window: pending.window });
}
