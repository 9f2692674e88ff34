import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { pickTopStakedValidator } from './topStakedValidator.js';
import { prepareWeights } from './weights.js';

describe('prepareWeights', () => {
  it('sorts by uid and max-upscales so the largest weight is 65535', () => {
    expect(prepareWeights(new Map([[5, 0.2], [1, 0.4], [3, 0]]))).toEqual({ dests: [1, 3, 5], weights: [65535, 0, 32768] });
  });
  it('rejects negative, non-finite and all-zero scores and impossible uids with USAGE', () => {
    for (const scores of [new Map([[1, -1]]), new Map([[1, Number.NaN]]), new Map([[1, 0]]), new Map([[70000, 1]])]) {
      expect(() => prepareWeights(scores)).toThrowError(expect.objectContaining({ code: 'USAGE' }));
    }
    try {
      prepareWeights(new Map());
    } catch (error) {
      expect(isCrucibleError(error, 'USAGE')).toBe(true);
    }
  });
});

describe('pickTopStakedValidator', () => {
  const hotkeys = ['a', 'b', 'c', 'd'];
  it('picks the permitted uid with the highest stake', () => {
    expect(pickTopStakedValidator({ hotkeys, stake: [5n, 9n, 20n, 7n], validatorPermit: [true, true, false, true] })).toEqual({ uid: 1, hotkey: 'b', stake: 9n });
  });
  it('breaks ties by the lowest uid', () => {
    expect(pickTopStakedValidator({ hotkeys, stake: [1n, 9n, 9n, 9n], validatorPermit: [true, false, true, true] })?.uid).toBe(2);
  });
  it('returns null without any permit', () => {
    expect(pickTopStakedValidator({ hotkeys, stake: [1n, 2n, 3n, 4n], validatorPermit: [false, false, false, false] })).toBeNull();
  });
});
