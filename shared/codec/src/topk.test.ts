import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';
import { kthLargest } from './topk.js';

describe('kthLargest', () => {
  it('agrees with sorting on random, duplicated, sorted and constant inputs', () => {
    const rng = seededRandom(99);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + rng.int(80);
      const kind = trial % 4;
      const values = Array.from({ length: n }, (_, i) =>
        kind === 0 ? rng.normal() : kind === 1 ? rng.int(4) : kind === 2 ? i : 7,
      );
      const k = 1 + rng.int(n);
      const expected = [...values].sort((a, b) => b - a)[k - 1];
      expect(kthLargest(Float32Array.from(values), n, k)).toBe(Math.fround(expected!));
    }
  });
});
