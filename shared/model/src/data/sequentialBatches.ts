import { CrucibleError } from '@crucible/core';
import { batchFromWindows } from './sampleBatch.js';
import type { Batch } from './sampleBatch.js';
import { allocTokens, dtypeOf, type TokenArray } from './tokenArray.js';

/**
 * Covers `tokens` with consecutive windows of T+1 tokens at stride T (window w = tokens[w·T .. w·T+T]),
 * so every token after the first is predicted exactly once, grouped into batches of up to `batchSize`
 * windows in order; the last batch may be smaller, and a trailing remainder shorter than T+1 is not
 * evaluated. For evaluating a whole text (mean loss, bits per token).
 */
export function* sequentialBatches(tokens: TokenArray, options: { batchSize: number; seqLen: number }): Generator<Batch> {
  const { batchSize: B, seqLen: T } = options;
  if (!Number.isSafeInteger(B) || B < 1) throw new CrucibleError('DATA', `batchSize must be a positive integer, got ${B}`);
  if (!Number.isSafeInteger(T) || T < 1) throw new CrucibleError('DATA', `seqLen must be a positive integer, got ${T}`);
  const windowCount = tokens.length > T ? Math.floor((tokens.length - 1) / T) : 0;
  for (let first = 0; first < windowCount; first += B) {
    const rows = Math.min(B, windowCount - first);
    const windows = allocTokens(dtypeOf(tokens), rows * (T + 1));
    for (let r = 0; r < rows; r++) {
      const start = (first + r) * T;
      windows.set(tokens.subarray(start, start + T + 1), r * (T + 1));
    }
    yield batchFromWindows(windows, rows, T);
  }
}
