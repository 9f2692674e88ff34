import { describe, expect, it } from 'vitest';
import { medianNorm, updateScale } from './clip.js';

describe('the scale rule', () => {
  it('takes the lower middle of the positive, finite norms as the reference', () => {
    expect(medianNorm([3, 1, 2])).toBe(2);
    expect(medianNorm([4, 1, 2, 3])).toBe(2);
    expect(medianNorm([1, Number.NaN, 0])).toBe(1);
    expect(medianNorm([])).toBeNull();
  });

  it('brings every update to the reference norm, up or down, so size buys nothing', () => {
    expect(updateScale(10, 2)).toBeCloseTo(0.2);
    expect(updateScale(1, 2)).toBe(2);
    for (const norm of [0.5, 1, 2.5, 40]) expect(norm * updateScale(norm, 2)).toBeCloseTo(2);
  });

  it('takes nothing of an empty update, and an update as it is without a reference', () => {
    expect(updateScale(0, 2)).toBe(0);
    expect(updateScale(Number.POSITIVE_INFINITY, 2)).toBe(0);
    expect(updateScale(5, null)).toBe(1);
  });
});
