import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
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
