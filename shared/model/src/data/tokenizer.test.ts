import { describe, expect, it } from 'vitest';
import { decodeTokens, encodeText, BYTE_VOCAB_SIZE } from './tokenizer.js';

describe('byte tokenizer', () => {
  it('maps text to its UTF-8 bytes and back', () => {
    const text = 'Fellow-Citizens: naïve café — 日本語 🚀\n';
    const tokens = encodeText(text);
    expect(tokens.length).toBe(Buffer.byteLength(text, 'utf8'));
    expect(Array.from(encodeText('Aé'))).toEqual([0x41, 0xc3, 0xa9]);
    expect(decodeTokens(tokens)).toBe(text);
    expect(decodeTokens(Array.from(tokens))).toBe(text);
    expect(Math.max(...tokens)).toBeLessThan(BYTE_VOCAB_SIZE);
  });

  it('decodes invalid byte sequences (as a sampler may produce) to U+FFFD instead of throwing', () => {
    expect(decodeTokens([0x41, 0xc3, 0x42])).toBe('A\ufffdB');
  });
});
