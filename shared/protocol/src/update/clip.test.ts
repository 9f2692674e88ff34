import { describe, expect, it } from 'vitest';
import { clipScale, medianNorm } from './clip.js';

describe('the clip rule', () => {
  it('takes the lower middle norm as the reference, ignoring non-finite norms', () => {
    expect(medianNorm([3, 1, 2])).toBe(2);
    expect(medianNorm([4, 1, 2, 3])).toBe(2);
    expect(medianNorm([1, Number.NaN])).toBe(1);
    expect(medianNorm([])).toBeNull();
  });

  it('scales an update above the reference down to it and leaves smaller ones alone', () => {
    expect(clipScale(10, 2)).toBeCloseTo(0.2);
    expect(clipScale(1, 2)).toBe(1);
    expect(clipScale(5, null)).toBe(1);
    expect(clipScale(5, 0)).toBe(1);
  });
});
