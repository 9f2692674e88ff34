import { describeError, windowStartBlock } from '@crucible/core';
import { currentBlock } from '@crucible/chain';
import { decodeGradient } from '@crucible/codec';
import { paramTable } from '@crucible/model';
import { openSealed, windowBlocks, type RunConfig } from '@crucible/protocol';
import { CONTENT_HASH_METADATA, contentHash, sealKeyKey } from '@crucible/storage';
import { withTimeout } from './chainTime.js';
import { restoreUnsent } from './errorFeedbackFile.js';
import type { MinerContext } from './minerContext.js';

/*
 * A sealed update's life after it is encoded: one upload before the window's deadline, the reveal of its
 * seal key after the deadline, and settling what a killed miner left pending.
 */

/** One upload, retried with backoff by the store until the estimated end of the window; never after it. */
export async function uploadBeforeDeadline(
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
export function revealOf(run: RunConfig, window: number, hotkey: string, sealKey: string) {
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
  // The last window's record (its own commit of the upload's outcome) comes first.
  await ctx.live.tail;
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
