import { describeError } from '@crucible/core';
import { encodeGradient, sparseLoCoStep, type ErrorFeedback } from '@crucible/codec';
import { sealUpdate, type RunConfig } from '@crucible/protocol';
import { sealedUpdateKey } from '@crucible/storage';
import { restoreUnsent } from './errorFeedbackFile.js';
import type { MinerContext } from './minerContext.js';
import { revealOf, type uploadBeforeDeadline } from './uploadLifecycle.js';
import { estimates } from './windowEstimates.js';

/** What encodeUpdate needs of a trained window. */
export interface EncodeInput {
  window: number;
  baseHash: string;
  delta: Map<string, Float32Array>;
}

/** A sealed update encoded into staged error-feedback buffers, not committed yet. */
export interface EncodedUpdate {
  window: number;
  key: string;
  /** The sealed update (what is uploaded); its key is revealed after the deadline. */
  bytes: Uint8Array;
  sealKey: string;
  tensors: ReturnType<typeof sparseLoCoStep>;
  /** The error feedback this update leaves behind (staged; current once committed). */
  staged: ErrorFeedback;
  /** Its file, being written by the thread pool. */
  errorFeedbackFile: Promise<string>;
  encodeMs: number;
}

export interface CommittedUpdate extends Omit<EncodedUpdate, 'staged' | 'errorFeedbackFile'> {
  persistMs: number;
}

/**
 * Error feedback, SparseLoCo, signing and sealing (nobody can read the update before the deadline, so
 * nobody can copy it), into a staged copy of the error feedback: this runs while the window's seed block
 * is being confirmed final (mineWindow), and a window that is not confirmed drops the staged copy as if
 * it had never been encoded. The staged error feedback's file is written by the thread pool beside
 * signing and sealing.
 */
export async function encodeUpdate(ctx: MinerContext, run: RunConfig, trained: EncodeInput): Promise<EncodedUpdate> {
  const { engine } = ctx;
  const started = Date.now();
  // The previous window's record may still be running (it may give an unsent update back to the error feedback).
  await ctx.live.tail;
  const staged = engine.stageErrorFeedback();
  const tensors = sparseLoCoStep(staged, trained.delta, run.codec);
  const errorFeedbackFile = engine.writeErrorFeedbackAhead(staged);
  errorFeedbackFile.catch(() => undefined);
  const signed = encodeGradient({ window: trained.window, baseCheckpoint: trained.baseHash, config: run.codec, tensors, signer: ctx.hotkey });
  const { sealed: bytes, key: seal } = sealUpdate(signed);
  const sealKey = Buffer.from(seal).toString('hex');
  const key = sealedUpdateKey(trained.window, ctx.hotkey.address);
  return { window: trained.window, key, bytes, sealKey, tensors, staged, errorFeedbackFile, encodeMs: Date.now() - started };
}

/** Gives up an encoded update whose window is not uploaded after all (its seed was not confirmed): nothing changes. */
export function dropUpdate(ctx: MinerContext, update: EncodedUpdate, moments: Promise<string | null>): void {
  for (const file of [update.errorFeedbackFile, moments]) void file.then((name) => name !== null && ctx.state.discard(name), () => undefined);
}

/**
 * One durable commit of the sealed update and its key together with the error feedback it leaves behind
 * and the AdamW moments (both already written by the thread pool): a crash from here on either finds the
 * update in storage or puts it back into the error feedback. The staged error feedback becomes current.
 */
export async function commitUpdate(ctx: MinerContext, update: EncodedUpdate, moments: Promise<string | null>): Promise<CommittedUpdate> {
  const { engine, state } = ctx;
  const started = Date.now();
  const [efFile, optimizerFile] = await Promise.all([update.errorFeedbackFile.catch(discardOnFailure(ctx, moments)), moments.catch(discardOnFailure(ctx, update.errorFeedbackFile))]);
  const pendingFile = state.fileName(`upload-${update.window}`, 'crg');
  await state.commit(
    { [pendingFile]: update.bytes },
    (s) => ({ ...s, errorFeedback: efFile, optimizer: optimizerFile, pending: { window: update.window, file: pendingFile, key: update.key, sealKey: update.sealKey } }),
    { sync: false, written: optimizerFile === null ? [efFile] : [efFile, optimizerFile] },
  );
  engine.adoptErrorFeedback(update.staged);
  const persistMs = Date.now() - started;
  const est = estimates(ctx);
  est.encodeMs = Math.max(update.encodeMs + persistMs, est.encodeMs * 0.5);
  const { staged: _staged, errorFeedbackFile: _file, ...rest } = update;
  return { ...rest, persistMs };
}

/** On one write failing, gives up the other's file too (once written) and rethrows. */
function discardOnFailure(ctx: MinerContext, other: Promise<string | null>) {
  return (error: unknown): never => {
    void other.then((name) => name !== null && ctx.state.discard(name), () => undefined);
    throw error;
  };
}

/**
 * After the upload, off the critical path (the next window trains meanwhile): the outcome's commit, the
 * fsyncs (against power loss), then deleting the files the commit superseded — an fsync beside the upload
 * commits the file system's journal under the S3 server's own writes (measured here: uploads of 7 ms
 * took 25–50 ms when they overlapped). A failed upload puts its content back into the error feedback.
 */
export async function recordUpload(
  ctx: MinerContext,
  run: RunConfig,
  window: number,
  update: CommittedUpdate,
  upload: Awaited<ReturnType<typeof uploadBeforeDeadline>>,
): Promise<{ flushMs: number }> {
  const { state, engine, logger } = ctx;
  if (upload.ok) {
    // Its fsync can wait for the flush below: a state that still shows the upload pending (power lost
    // first) is settled at start by finding the update in storage, never uploaded twice.
    const reveal = revealOf(run, window, ctx.hotkey.address, update.sealKey);
    await state.commit({}, (s) => ({ ...s, pending: null, lastUploadedWindow: window, reveals: [...s.reveals, reveal] }), { sync: false });
  } else {
    // Only the error feedback changes: the moments committed with the update stay current.
    restoreUnsent(engine.errorFeedback, update.tensors, run.codec);
    const rolled = engine.errorFeedbackSnapshot();
    await state.commit(rolled.files, (s) => ({ ...s, errorFeedback: rolled.errorFeedback, pending: null }));
  }
  const flushStarted = Date.now();
  await state.flush().catch((error: unknown) => logger.warn('state flush failed', { error: describeError(error) }));
  return { flushMs: Date.now() - flushStarted };
}
