import { CrucibleError } from '@crucible/core';
import { deriveSeed } from './deriveSeed.js';

/** Domain tag of the per-step batch seed. */
export const BATCH_SEED_DOMAIN = 'crucible-batch-v1';

/**
 * The seed of inner step `step` (0-based) of `hotkey` in `window`, so a validator can redraw exactly the
 * batches a miner trained on: deriveSeed("crucible-batch-v1", String(seed), window, hotkey, step).
 * Pass it to sampleBatch / Corpus.trainBatch together with the pages from assignPages.
 */
export function batchSeed(seed: string | number, window: number, hotkey: string, step: number): Uint8Array {
  if (!Number.isSafeInteger(step) || step < 0) throw new CrucibleError('DATA', `step must be a non-negative integer, got ${step}`);
  if (!Number.isSafeInteger(window) || window < 0) throw new CrucibleError('DATA', `window must be a non-negative integer, got ${window}`);
  return deriveSeed(BATCH_SEED_DOMAIN, String(seed), window, hotkey, step);
}
