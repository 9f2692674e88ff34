import { CrucibleError } from '@crucible/core';
import { deriveSeed } from './deriveSeed.js';
import { createPrng } from './prng.js';

/** Domain tag of the page-assignment derivation (bump to change the assignment rule). */
export const ASSIGN_PAGES_DOMAIN = 'crucible-assign-pages-v1';

/**
 * The `count` training pages (indices in [0, totalPages)) assigned to `hotkey` in `window`, recomputable
 * by anyone:
 *   prng = createPrng(deriveSeed("crucible-assign-pages-v1", String(seed), window, hotkey, totalPages))
 *   partial Fisher–Yates over [0, totalPages): for i = 0..count−1, j = i + prng.nextInt(totalPages − i),
 *   swap positions i and j, take position i.
 * (`seed` is encoded as a string, so 7 and "7" are the same seed.) The result is distinct indices in draw
 * order; a smaller count gives a prefix of a larger one. count > totalPages throws DATA.
 */
export function assignPages(seed: string | number, window: number, hotkey: string, count: number, totalPages: number): number[] {
  if (!Number.isSafeInteger(window) || window < 0) throw new CrucibleError('DATA', `window must be a non-negative integer, got ${window}`);
  if (!Number.isSafeInteger(totalPages) || totalPages < 1 || totalPages > 4294967296) {
    throw new CrucibleError('DATA', `totalPages must be a positive integer, got ${totalPages}`);
  }
  if (!Number.isSafeInteger(count) || count < 0) throw new CrucibleError('DATA', `count must be a non-negative integer, got ${count}`);
  if (count > totalPages) {
    throw new CrucibleError('DATA', `cannot assign ${count} distinct pages out of ${totalPages}`, { details: { count, totalPages } });
  }
  const prng = createPrng(deriveSeed(ASSIGN_PAGES_DOMAIN, String(seed), window, hotkey, totalPages));
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
