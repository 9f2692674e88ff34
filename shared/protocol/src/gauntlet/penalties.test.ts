import { describe, expect, it } from 'vitest';
import { missMultiplier, warmedUp, withBurnShare } from './penalties.js';

describe('graduated penalties, warm-up and the burn share', () => {
  it('costs more for every consecutive miss, then nothing at all', () => {
    const p = [0.75, 0.5, 0];
    expect([0, 1, 2, 3, 7].map((n) => missMultiplier(n, p))).toEqual([1, 0.75, 0.5, 0, 0]);
  });

  it('pays a new hotkey only after its warm-up windows', () => {
    expect(warmedUp(2, 3)).toBe(false);
    expect(warmedUp(3, 3)).toBe(true);
    expect(warmedUp(0, 0)).toBe(true);
  });

  it('moves the burn share to the owner and keeps the miners\' proportions', () => {
    const w = withBurnShare(new Map([[1, 0.75], [2, 0.25]]), 0, 0.2);
    expect(w.get(0)).toBeCloseTo(0.2);
    expect(w.get(1)).toBeCloseTo(0.6);
    expect(w.get(2)).toBeCloseTo(0.2);
    expect(withBurnShare(new Map(), 0, 0.2)).toEqual(new Map([[0, 1]]));
    expect(withBurnShare(new Map([[1, 1]]), undefined, 0.5)).toEqual(new Map([[1, 1]]));
  });
});
