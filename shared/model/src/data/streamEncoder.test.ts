import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from './loadCorpus.js';
import { createPrng } from './prng.js';
import { createStreamEncoder } from './streamEncoder.js';
import { byteTokenizer, loadTokenizer } from './tokenizers.js';

const flat = (parts: ArrayLike<number>[]) => parts.flatMap((p) => Array.from(p));

/** Feeds `bytes` in pieces of random length (1..maxPiece) and returns every id, separator included. */
function streamed(encoder: ReturnType<typeof createStreamEncoder>, bytes: Uint8Array, seed: string, maxPiece: number): number[] {
  const prng = createPrng(seed);
  const out: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + prng.nextInt(maxPiece);
    out.push(...flat(encoder.write(bytes.subarray(at, at + n))));
    at += n;
  }
  out.push(...flat(encoder.end()));
  return out;
}

describe('createStreamEncoder', () => {
  it('gives GPT-2 ids equal to encoding each whole document, however the bytes arrive', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const { files } = await corpusFiles('sotu');
    // Small chunks force many cuts, including inside multi-byte characters.
    const encoder = createStreamEncoder(gpt2, { chunkChars: 200 });
    for (const f of [files[0]!, files[100]!]) {
      const bytes = new Uint8Array(await readFile(f.path));
      const doc = 'Ünïcödé 🚀 ' + new TextDecoder().decode(bytes).slice(0, 20_000);
      const docBytes = new TextEncoder().encode(doc);
      const whole = [...Array.from(gpt2.encode(doc)), 50256];
      expect(streamed(encoder, docBytes, `${f.name}/a`, 300)).toEqual(whole);
      expect(streamed(encoder, docBytes, `${f.name}/b`, 7)).toEqual(whole);
    }
  });

  it('cuts a run without any safe point at maxChars, deterministically and losslessly', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const blob = new TextEncoder().encode('x'.repeat(5000) + '🚀'.repeat(700) + 'y'.repeat(3000));
    const encoder = createStreamEncoder(gpt2, { chunkChars: 100, maxChars: 1001 });
    const a = streamed(encoder, blob, 'a', 500);
    expect(streamed(encoder, blob, 'b', 33)).toEqual(a);
    expect(gpt2.decode(a.slice(0, -1))).toBe(new TextDecoder().decode(blob));
  });

  it('passes bytes through for the byte tokenizer, separated by "\\n\\n"', () => {
    const encoder = createStreamEncoder(byteTokenizer);
    const bytes = Uint8Array.of(0xff, 0x00, 0xc3, 0xa9);
    expect(streamed(encoder, bytes, 'x', 2)).toEqual([0xff, 0x00, 0xc3, 0xa9, 10, 10]);
  });
});
