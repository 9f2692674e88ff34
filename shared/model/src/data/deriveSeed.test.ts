import { blake2b256 } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { deriveSeed } from './deriveSeed.js';

describe('deriveSeed', () => {
  it('hashes the documented encoding of the domain and parts', () => {
    const expected = blake2b256(
      Uint8Array.from([
        ...[3, 0, 0, 0], ...Buffer.from('tag'),
        1, ...[2, 0, 0, 0], ...Buffer.from('ab'),
        2, ...[7, 0, 0, 0, 0, 0, 0, 0],
        3, ...[1, 0, 0, 0], 0xff,
      ]),
    );
    expect(deriveSeed('tag', 'ab', 7, Uint8Array.of(0xff))).toEqual(expected);
  });

  it('separates parts unambiguously', () => {
    expect(deriveSeed('t', 'ab', 'c')).not.toEqual(deriveSeed('t', 'a', 'bc'));
    expect(deriveSeed('t', '7')).not.toEqual(deriveSeed('t', 7));
    expect(deriveSeed('t1', 'x')).not.toEqual(deriveSeed('t', '1x'));
    expect(() => deriveSeed('t', -1)).toThrow(/non-negative/);
  });
});
