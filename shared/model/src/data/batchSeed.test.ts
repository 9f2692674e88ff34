import { describe, expect, it } from 'vitest';
import { batchSeed } from './batchSeed.js';
import { deriveSeed } from './deriveSeed.js';

describe('batchSeed', () => {
  it('is the documented derivation, distinct per step, window and hotkey', () => {
    expect(batchSeed(7, 3, 'hk', 2)).toEqual(deriveSeed('crucible-batch-v1', '7', 3, 'hk', 2));
    expect(batchSeed('7', 3, 'hk', 2)).toEqual(batchSeed(7, 3, 'hk', 2));
    const seeds = [batchSeed(7, 3, 'hk', 0), batchSeed(7, 3, 'hk', 1), batchSeed(7, 4, 'hk', 0), batchSeed(7, 3, 'hk2', 0)];
    expect(new Set(seeds.map((s) => Buffer.from(s).toString('hex'))).size).toBe(4);
    expect(() => batchSeed(7, 3, 'hk', -1)).toThrow(/step/);
  });
});
