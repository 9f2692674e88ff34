import { describe, expect, it } from 'vitest';
import { averageSparse } from './aggregate.js';

const sparse = (indices: number[], values: number[]) => ({ indices: Uint32Array.from(indices), values: Float32Array.from(values) });

describe('averageSparse', () => {
  it('averages each coordinate over the peers that sent it, not over all peers', () => {
    const a = { sparse: sparse([0, 1], [1, 1]), scale: 1 };
    const b = { sparse: sparse([1, 2], [1, 1]), scale: 1 };
    const c = { sparse: sparse([3, 4], [1, 1]), scale: 1 };
    expect([...averageSparse([a, b, c], 6)]).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('multiplies each peer\'s values by its scale before averaging', () => {
    const out = averageSparse([{ sparse: sparse([0, 1], [2, 4]), scale: 0.5 }, { sparse: sparse([0], [3]), scale: 1 }], 2);
    expect(out[0]).toBeCloseTo((1 + 3) / 2);
    expect(out[1]).toBeCloseTo(2);
  });

  it('is all zero without peers', () => {
    expect([...averageSparse([], 3)]).toEqual([0, 0, 0]);
  });
});
