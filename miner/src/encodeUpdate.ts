import { describeError } from '@crucible/core';
import { encodeGradient, sparseLoCoStep } from '@crucible/codec';
import { sealUpdate, type RunConfig } from '@crucible/protocol';
import { sealedUpdateKey } from '@crucible/storage';
import { restoreUnsent } from './errorFeedbackFile.js';
import type { MinerContext } from './minerContext.js';
import { revealOf, type uploadBeforeDeadline } from './uploadLifecycle.js';
import { estimates } from './windowEstimates.js';

/** What encodeAndCommit needs of a trained window. */
export interface EncodeInput {
  window: number;
  baseHash: string;
  delta: Map<string, Float32Array>;
}

export interface CommittedUpdate {
  key: string;
  /** The sealed update (what is uploaded); its key is revealed after the deadline. */
  bytes: Uint8Array;
  sealKey: string;
  tensors: ReturnType<typeof sparseLoCoStep>;
  encodeMs: number;
  persistMs: number;
}

/**
 * Error feedback, SparseLoCo, signing, sealing (nobody can read the update before the deadline, so
 * nobody can copy it), and one durable commit of the sealed update and its key together with the error
 * feedback it leaves behind and the AdamW moments: a crash from here on either finds the update in
 * storage or puts it back into the error feedback.
 *
 * Pipelined: the moments (2 × the model's size) are written by the thread pool from the moment training
 * ends, beside the SparseLoCo step; the error feedback (1 ×) beside signing and sealing. The commit then
 * only names them, writes the sealed bytes and replaces state.json.
 */
export async function encodeAndCommit(ctx: MinerContext, run: RunConfig, trained: EncodeInput, moments: Promise<string | null>): Promise<CommittedUpdate> {
  const { engine, state } = ctx;
  const encodeStarted = Date.now();
  // The previous window's record may still be running (it may give an unsent update back to the error feedback).
  await ctx.live.tail;
  const tensors = sparseLoCoStep(engine.errorFeedback, trained.delta, run.codec);
  const errorFeedback = engine.writeErrorFeedbackAhead();
  const signed = encodeGradient({ window: trained.window, baseCheckpoint: trained.baseHash, config: run.codec, tensors, signer: ctx.hotkey });
  const { sealed: bytes, key: seal } = sealUpdate(signed);
  const sealKey = Buffer.from(seal).toString('hex');
  const key = sealedUpdateKey(trained.window, ctx.hotkey.address);
  const persistStarted = Date.now();
  const [efFile, optimizerFile] = await Promise.all([errorFeedback.catch(discardOnFailure(ctx, moments)), moments.catch(discardOnFailure(ctx, errorFeedback))]);
  const pendingFile = state.fileName(`upload-${trained.window}`, 'crg');
  await state.commit(
    { [pendingFile]: bytes },
    (s) => ({ ...s, errorFeedback: efFile, optimizer: optimizerFile, pending: { window: trained.window, file: pendingFile, key, sealKey } }),
    { sync: false, written: optimizerFile === null ? [efFile] : [efFile, optimizerFile] },
  );
  const encodeMs = Date.now() - encodeStarted;
  const est = estimates(ctx);
  est.encodeMs = Math.max(encodeMs, est.encodeMs * 0.5);
  return { key, bytes, sealKey, tensors, encodeMs, persistMs: Date.now() - persistStarted };
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
