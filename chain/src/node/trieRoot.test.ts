import { u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { orderedTrieRoot, rootNodeEncoding, trieRoot } from './trieRoot.js';

const b = (...xs: number[]) => Uint8Array.from(xs);

describe('the Substrate trie root', () => {
  it('of an empty trie is blake2-256(0x00)', () => {
    expect(u8aToHex(trieRoot([], 1))).toBe('0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314');
    expect(u8aToHex(orderedTrieRoot([]))).toBe('0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314');
  });

  it('encodes a single pair as a leaf (sp-trie codec vector)', () => {
    // leaf with 2 nibbles, key aa, compact(1), value bb
    expect(rootNodeEncoding([[b(0xaa), b(0xbb)]], 0)).toEqual(b(0x42, 0xaa, 0x04, 0xbb));
  });

  it('encodes two disjoint keys as a branch with two inline leaves (sp-trie codec vector)', () => {
    const expected = b(0x80, 0x12, 0x00, 0x14, 0x43, 0x03, 0x14, 0x04, 0xff, 0x14, 0x43, 0x08, 0x19, 0x04, 0xfe);
    expect(rootNodeEncoding([[b(0x48, 0x19), b(0xfe)], [b(0x13, 0x14), b(0xff)]], 0)).toEqual(expected);
  });

  it('puts a branch value before the children and inlines children under 32 bytes', () => {
    // A branch at key 8c12 holding "hello world", with children at nibbles 2 and a (leaves with partial key 0).
    const enc = rootNodeEncoding(
      [
        [b(0x8c, 0x12), new TextEncoder().encode('hello world')],
        [b(0x8c, 0x12, 0x20), b(0x01)],
        [b(0x8c, 0x12, 0xa0), b(0x02)],
      ],
      0,
    );
    // header 0xc4 (branch with value, 4 nibbles 8,c,1,2), bitmap bits 2 and 10, value, two inline leaves.
    expect(Array.from(enc.subarray(0, 5))).toEqual([0xc4, 0x8c, 0x12, 0x04, 0x04]);
    expect(Array.from(enc.subarray(5, 17))).toEqual([44, ...new TextEncoder().encode('hello world')]);
    // Each child: compact(4) then the 4-byte leaf (1 nibble: 0, compact(1), value).
    expect(Array.from(enc.subarray(17))).toEqual([0x10, 0x41, 0x00, 0x04, 0x01, 0x10, 0x41, 0x00, 0x04, 0x02]);
  });

  it('stores values of 33 bytes or more as their hash in version 1 only', () => {
    const long = new Uint8Array(33).fill(7);
    const v0 = rootNodeEncoding([[b(0x01), long]], 0);
    const v1 = rootNodeEncoding([[b(0x01), long]], 1);
    expect(v0[0]).toBe(0x42);
    expect(v1[0]).toBe(0x22);
    expect(v1.length).toBe(1 + 1 + 32);
    const short = new Uint8Array(32).fill(7);
    expect(rootNodeEncoding([[b(0x01), short]], 1)).toEqual(rootNodeEncoding([[b(0x01), short]], 0));
  });

  it('does not depend on the order the pairs are given in', () => {
    const pairs: Array<[Uint8Array, Uint8Array]> = [
      [b(1, 2, 3), b(1)],
      [b(1, 2), b(2)],
      [b(9), b(3)],
      [b(1, 2, 3, 4), new Uint8Array(40)],
    ];
    expect(trieRoot(pairs, 1)).toEqual(trieRoot([...pairs].reverse(), 1));
    expect(trieRoot(pairs, 1)).not.toEqual(trieRoot(pairs.slice(1), 1));
  });
});
