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

/** Where row b of a batch comes from: page index into the given list, and the window's first token. */
export interface BatchRow {
  readonly page: number;
  readonly offset: number;
}

/**
 * The rows sampleBatch draws, from page lengths alone (so a reader can fetch only the pages a batch
 * uses): prng = createPrng(seed); for each row b in order, page = prng.nextInt(pageCount), offset =
 * prng.nextInt(lengthOf(page) − T).
 */
export function planBatch(pageCount: number, lengthOf: (page: number) => number, options: SampleBatchOptions): BatchRow[] {
  const { batchSize: B, seqLen: T } = options;
  if (!Number.isSafeInteger(B) || B < 1) throw new CrucibleError('DATA', `batchSize must be a positive integer, got ${B}`);
  if (!Number.isSafeInteger(T) || T < 1) throw new CrucibleError('DATA', `seqLen must be a positive integer, got ${T}`);
  if (pageCount === 0) throw new CrucibleError('DATA', 'cannot sample a batch from zero pages');
  const prng = createPrng(options.seed);
  const rows: BatchRow[] = [];
  for (let b = 0; b < B; b++) {
    const page = prng.nextInt(pageCount);
    const length = lengthOf(page);
    if (length < T + 1) throw new CrucibleError('DATA', `a page of ${length} tokens is shorter than seqLen + 1 = ${T + 1}`);
    rows.push({ page, offset: prng.nextInt(length - T) });
  }
  return rows;
}

/**
 * Draws a batch deterministically from `pages` (see planBatch): row b is page[offset .. offset + T] of
 * its planned page. Windows never cross a page boundary, so a party holding only these pages can
 * reproduce the batch. Every page must hold at least T+1 tokens, and all pages share one id type.
 */
export function sampleBatch(pages: readonly TokenArray[], options: SampleBatchOptions): Batch {
  const { batchSize: B, seqLen: T } = options;
  if (pages.length === 0) throw new CrucibleError('DATA', 'cannot sample a batch from zero pages');
  const dtype = dtypeOf(pages[0]!);
  for (const page of pages) {
    if (page.length < T + 1) throw new CrucibleError('DATA', `a page of ${page.length} tokens is shorter than seqLen + 1 = ${T + 1}`);
    if (dtypeOf(page) !== dtype) throw new CrucibleError('DATA', `pages mix ${dtype} and ${dtypeOf(page)} token ids`);
  }
  const rows = planBatch(pages.length, (i) => pages[i]!.length, options);
  const windows = allocTokens(dtype, B * (T + 1));
  rows.forEach(({ page, offset }, b) => windows.set(pages[page]!.subarray(offset, offset + T + 1), b * (T + 1)));
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
