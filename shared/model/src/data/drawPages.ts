import { CrucibleError } from '@crucible/core';
import { createPrng, type PrngSeed } from './prng.js';

/**
 * `count` distinct page indices in [0, totalPages), drawn by a partial Fisher–Yates shuffle driven by
 * createPrng(seed): for i = 0..count−1, j = i + prng.nextInt(totalPages − i), swap positions i and j,
 * take position i. Distinct indices in draw order; a smaller count gives a prefix of a larger one.
 * Who gets which pages (the seed) is a protocol rule; this is only the draw. count > totalPages
 * throws DATA.
 */
export function drawPages(seed: PrngSeed, count: number, totalPages: number): number[] {
  if (!Number.isSafeInteger(totalPages) || totalPages < 1 || totalPages > 4294967296) {
    throw new CrucibleError('DATA', `totalPages must be a positive integer, got ${totalPages}`);
  }
  if (!Number.isSafeInteger(count) || count < 0) throw new CrucibleError('DATA', `count must be a non-negative integer, got ${count}`);
  if (count > totalPages) {
    throw new CrucibleError('DATA', `cannot draw ${count} distinct pages out of ${totalPages}`, { details: { count, totalPages } });
  }
  const prng = createPrng(seed);
  // Sparse Fisher–Yates: only swapped positions are stored, so the cost is O(count), not O(totalPages).
  const swapped = new Map<number, number>();
  const at = (i: number) => swapped.get(i) ?? i;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + prng.nextInt(totalPages - i);
    const picked = at(j);
    swapped.set(j, at(i));
    out.push(picked);
  }
  return out;
}
