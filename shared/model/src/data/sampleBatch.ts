import { CrucibleError } from '@crucible/core';
import { createPrng } from './prng.js';
import type { PrngSeed } from './prng.js';
import { allocTokens, dtypeOf, type TokenArray } from './tokenArray.js';

/** B windows of T+1 consecutive tokens; inputs are the first T of each, targets the last T. */
export interface Batch {
  batchSize: number;
  seqLen: number;
  /** (B, T+1) row-major, in the pages' id type (Uint8Array for bytes). */
  windows: TokenArray;
  /** (B, T) tokens fed to the model. */
  inputs: Int32Array;
  /** (B, T) next-token targets: targets[b, t] = windows[b, t+1]. */
  targets: Int32Array;
}

export interface SampleBatchOptions {
  batchSize: number;
  seqLen: number;
  seed: PrngSeed;
}

/**
 * Draws a batch deterministically from `pages`: prng = createPrng(seed); for each row b in order,
 * page = pages[prng.nextInt(pages.length)], offset = prng.nextInt(page.length − T), and the row is
 * page[offset .. offset + T]. Windows never cross a page boundary, so a party holding only these pages
 * can reproduce the batch. Every page must hold at least T+1 tokens, and all pages share one id type.
 */
export function sampleBatch(pages: readonly TokenArray[], options: SampleBatchOptions): Batch {
  const { batchSize: B, seqLen: T } = options;
  if (!Number.isSafeInteger(B) || B < 1) throw new CrucibleError('DATA', `batchSize must be a positive integer, got ${B}`);
  if (!Number.isSafeInteger(T) || T < 1) throw new CrucibleError('DATA', `seqLen must be a positive integer, got ${T}`);
  if (pages.length === 0) throw new CrucibleError('DATA', 'cannot sample a batch from zero pages');
  const dtype = dtypeOf(pages[0]!);
  for (const page of pages) {
    if (page.length < T + 1) throw new CrucibleError('DATA', `a page of ${page.length} tokens is shorter than seqLen + 1 = ${T + 1}`);
    if (dtypeOf(page) !== dtype) throw new CrucibleError('DATA', `pages mix ${dtype} and ${dtypeOf(page)} token ids`);
  }
  const prng = createPrng(options.seed);
  const windows = allocTokens(dtype, B * (T + 1));
  for (let b = 0; b < B; b++) {
    const page = pages[prng.nextInt(pages.length)]!;
    const offset = prng.nextInt(page.length - T);
    windows.set(page.subarray(offset, offset + T + 1), b * (T + 1));
  }
  return batchFromWindows(windows, B, T);
}

/** Splits (B, T+1) windows into (B, T) inputs and targets. */
export function batchFromWindows(windows: TokenArray, batchSize: number, seqLen: number): Batch {
  const T = seqLen;
  if (windows.length !== batchSize * (T + 1)) throw new CrucibleError('DATA', `expected ${batchSize}×${T + 1} tokens, got ${windows.length}`);
  const inputs = new Int32Array(batchSize * T);
  const targets = new Int32Array(batchSize * T);
  for (let b = 0; b < batchSize; b++) {
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = windows[b * (T + 1) + t]!;
      targets[b * T + t] = windows[b * (T + 1) + t + 1]!;
    }
  }
  return { batchSize, seqLen: T, windows, inputs, targets };
}
