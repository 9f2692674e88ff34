import { describe, expect, it } from 'vitest';
import { loadSotuCorpus } from './loadCorpus.js';
import { byteTokenizer, isTokenizerName, loadTokenizer, TOKENIZER_NAMES, TOKENIZER_VOCAB_SIZES } from './tokenizers.js';
import { corpusFiles } from './loadCorpus.js';
import { readFile } from 'node:fs/promises';

const samples = [
  'Fellow-Citizens of the Senate and House of Representatives:',
  "naïve café — 日本語 🚀 it's 1,984.5 tokens\n\n\tindented   spaces  ",
  'special text <|endoftext|> stays text',
  '',
];

describe('tokenizers', () => {
  it('names each tokenizer with its vocabulary size, loadable offline', async () => {
    expect(TOKENIZER_NAMES).toEqual(['bytes', 'gpt2']);
    for (const name of TOKENIZER_NAMES) {
      const t = await loadTokenizer(name);
      expect(t.name).toBe(name);
      expect(t.vocabSize).toBe(TOKENIZER_VOCAB_SIZES[name]);
    }
    expect(isTokenizerName('gpt2')).toBe(true);
    expect(isTokenizerName('llama')).toBe(false);
    await expect(loadTokenizer('llama')).rejects.toMatchObject({ code: 'DATA', message: /unknown tokenizer "llama"/ });
  });

  it('round-trips text through the byte tokenizer and the GPT-2 BPE', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    for (const t of [byteTokenizer, gpt2]) {
      for (const s of samples) expect(t.decode(t.encode(s)), `${t.name}: ${JSON.stringify(s)}`).toBe(s);
    }
  });

  it('encodes GPT-2 ids as GPT-2 does, with <|endoftext|> only as the document separator', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    // Reference ids of "Hello world" in r50k_base / tiktoken's gpt2.
    expect(Array.from(gpt2.encode('Hello world'))).toEqual([15496, 995]);
    expect(gpt2.documentSeparator).toEqual([50256]);
    expect(Array.from(gpt2.encode('<|endoftext|>'))).not.toContain(50256);
    expect(gpt2.version).toMatch(/^r50k_base \(gpt-tokenizer@\d+\.\d+\.\d+\)$/);
    expect(byteTokenizer.documentSeparator).toEqual([10, 10]);
  });

  it('compresses English prose about 4x over bytes', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const { files } = await corpusFiles('sotu');
    const text = await readFile(files[200]!.path, 'utf8');
    const ratio = Buffer.byteLength(text) / gpt2.encode(text).length;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(6);
  });

  it('refuses ids outside the vocabulary when decoding', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    expect(() => gpt2.decode([15496, 50257])).toThrow(/outside the GPT-2 vocabulary/);
    expect(() => byteTokenizer.decode([256])).toThrow(/not a byte/);
  });

  it('cuts GPT-2 text only where encoding the halves equals encoding the whole', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const { files } = await corpusFiles('sotu');
    const text = (await readFile(files[5]!.path, 'utf8')).slice(0, 6000) + ' x  y\u00a0 z 12 ,. \n end';
    let checked = 0;
    for (let end = 40; end <= text.length; end += 97) {
      const head = text.slice(0, end);
      const cut = gpt2.safeCut(head);
      if (cut === 0) continue;
      expect(text[cut]).toBe(' ');
      expect([...Array.from(gpt2.encode(text.slice(0, cut))), ...Array.from(gpt2.encode(text.slice(cut)))]).toEqual(Array.from(gpt2.encode(text)));
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    expect(gpt2.safeCut('nospaceshere')).toBe(0);
    expect(gpt2.safeCut('a  b')).toBe(0); // a double space belongs to the next piece only in part
  });

  it('tokenizes the default corpus with GPT-2 into 16-bit ids', async () => {
    const corpus = await loadSotuCorpus({ tokenizer: 'gpt2' });
    expect(corpus.tokenizer).toBe('gpt2');
    expect(corpus.trainPage(0)).toBeInstanceOf(Uint16Array);
    const bytes = await loadSotuCorpus();
    expect(bytes.tokenizer).toBe('bytes');
    expect(corpus.tokenCount * 3.5).toBeLessThan(bytes.tokenCount);
  });
});
