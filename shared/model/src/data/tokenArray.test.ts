import { describe, expect, it } from 'vitest';
import { allocTokens, bytesOfTokens, dtypeForVocab, dtypeOf, tokenBytes, tokensFromBytes } from './tokenArray.js';

describe('token arrays', () => {
  it('store ids in the narrowest type that holds the vocabulary', () => {
    expect(dtypeForVocab(256)).toBe('uint8');
    expect(dtypeForVocab(257)).toBe('uint16');
    expect(dtypeForVocab(50257)).toBe('uint16');
    expect(dtypeForVocab(65537)).toBe('uint32');
    expect(() => dtypeForVocab(1)).toThrow(/vocabulary size/);
    expect(dtypeOf(allocTokens('uint16', 3))).toBe('uint16');
    expect(tokenBytes('uint32')).toBe(4);
  });

  it('round-trip through little-endian bytes, copying only unaligned input', () => {
    const ids = Uint16Array.of(1, 50256, 258);
    const bytes = bytesOfTokens(ids);
    expect(Array.from(bytes)).toEqual([1, 0, 0x50, 0xc4, 2, 1]);
    expect(Array.from(tokensFromBytes('uint16', bytes))).toEqual([1, 50256, 258]);
    const shifted = new Uint8Array(7);
    shifted.set(bytes, 1);
    expect(Array.from(tokensFromBytes('uint16', shifted.subarray(1)))).toEqual([1, 50256, 258]);
    expect(Array.from(tokensFromBytes('uint32', Uint8Array.of(1, 0, 1, 0)))).toEqual([65537]);
    expect(() => tokensFromBytes('uint32', new Uint8Array(6))).toThrow(/not a whole number/);
  });
});
