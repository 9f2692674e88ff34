import { describe, expect, it } from 'vitest';
import { topK, topKNonzero, weightedMedianColumns } from './consensus.js';
import { maxUpscaleToU16, proportionToU16, weightsToU16, withinMaxWeightLimit } from './quantize.js';

describe('weightedMedianColumns', () => {
  it('returns the value where cumulative stake first exceeds 1 − κ', () => {
    // Votes on column 0: .1 (stake .2), .4 (stake .3), .9 (stake .5).
    const weights = [[[0, 0.1]], [[0, 0.4]], [[0, 0.9]]] as Array<Array<[number, number]>>;
    // κ = .5: .9 is backed by exactly half the stake (a stake-weighted upper median).
    expect(weightedMedianColumns([0.2, 0.3, 0.5], weights, 1, 0.5)).toEqual([0.9]);
    // κ = .7 → minority .3: stake below .4 is .2 (≤ .3), at or below .4 is .5 (> .3).
    expect(weightedMedianColumns([0.2, 0.3, 0.5], weights, 1, 0.7)).toEqual([0.4]);
    // κ = .9 → minority .1: only the lowest vote is backed by ≥ 90% of stake.
    expect(weightedMedianColumns([0.2, 0.3, 0.5], weights, 1, 0.9)).toEqual([0.1]);
    // κ = .4 → minority .6: .9 is backed by .5 ≥ .4.
    expect(weightedMedianColumns([0.2, 0.3, 0.5], weights, 1, 0.4)).toEqual([0.9]);
  });

  it('counts an absent entry as a zero vote and ignores zero-stake rows', () => {
    const weights = [[[1, 1]], [], [[0, 1]]] as Array<Array<[number, number]>>;
    expect(weightedMedianColumns([0.6, 0.4, 0], weights, 2, 0.5)).toEqual([0, 1]);
  });
});

describe('topKNonzero (spec 424 permits)', () => {
  it('permits the k largest positive stakes; ties at the cut keep the higher uid; zero stake never', () => {
    expect(topKNonzero([5, 1, 3, 3], 2)).toEqual([true, false, false, true]);
    expect(topKNonzero([0, 0, 1], 3)).toEqual([false, false, true]);
  });
});

describe('topK', () => {
  it('keeps the k largest and drops the lower uid first on ties', () => {
    expect(topK([5, 1, 3, 3], 2)).toEqual([true, false, false, true]);
  });
  it('permits everyone when n ≤ k, even with zero stake', () => {
    expect(topK([0, 0, 1], 3)).toEqual([true, true, true]);
  });
});

describe('u16 quantisation', () => {
  it('stores fractions as floor(x·65535)', () => {
    expect([0, 0.5, 1 / 3, 1, 1.2, -1].map(proportionToU16)).toEqual([0, 32767, 21845, 65535, 65535, 0]);
  });
  it('max-upscales with rounding, leaving all-zero vectors alone', () => {
    expect(maxUpscaleToU16([1, 2, 4])).toEqual([16384, 32768, 65535]);
    expect(maxUpscaleToU16([0, 0])).toEqual([0, 0]);
    expect(weightsToU16([0.25, 0.5])).toEqual([32768, 65535]);
    expect(() => weightsToU16([Number.NaN])).toThrow(RangeError);
  });
  it('checks the max weight limit on the normalised row', () => {
    expect(withinMaxWeightLimit([65535, 65535], 32768)).toBe(true);
    expect(withinMaxWeightLimit([65535, 65535], 32767)).toBe(false);
    expect(withinMaxWeightLimit([65535], 65535)).toBe(true);
  });
});
