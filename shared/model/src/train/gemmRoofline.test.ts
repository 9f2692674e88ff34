import { describe, expect, it } from 'vitest';
import { presets } from '../gpt/config.js';
import { trainMatmulFlops } from './gemmRoofline.js';

describe('trainMatmulFlops', () => {
  it('counts the small preset at batch 16 as three times its forward products', () => {
    // Forward, per token: 12·C² weights in each of 4 blocks plus the 256×C tied head, 2 FLOPs per
    // multiply-add; attention: q·kᵀ and p·v over 128×128 scores, 2·T·C each per token and block.
    const tokens = 16 * 128;
    const forward = 2 * tokens * (12 * 256 * 256 * 4 + 256 * 256) + 4 * tokens * 128 * 256 * 4;
    expect(trainMatmulFlops(presets.small, 16)).toBe(3 * forward);
    expect(trainMatmulFlops(presets.small, 16) / 1e9).toBeCloseTo(42.7, 1);
  });

  it('grows linearly with the batch', () => {
    expect(trainMatmulFlops(presets.tiny, 8)).toBe(2 * trainMatmulFlops(presets.tiny, 4));
  });
});
