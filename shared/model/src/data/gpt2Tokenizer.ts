import { createRequire } from 'node:module';
import { CrucibleError } from '@crucible/core';
import { decode, encode, vocabularySize } from 'gpt-tokenizer/encoding/r50k_base';
import type { Tokenizer } from './tokenizers.js';

/** `<|endoftext|>`, GPT-2's document separator. */
const END_OF_TEXT = 50256;
// Special-token text inside a document is ordinary text, never a control token.
const asPlainText = { disallowedSpecial: new Set<string>() };
const whitespace = /\s/;

let instance: Tokenizer | undefined;

/** GPT-2's BPE (r50k_base). The only file that imports `gpt-tokenizer`. */
export function gpt2Tokenizer(): Tokenizer {
  if (instance !== undefined) return instance;
  const { version } = createRequire(import.meta.url)('gpt-tokenizer/package.json') as { version: string };
  if (vocabularySize !== END_OF_TEXT + 1) {
    throw new CrucibleError('INTERNAL', `gpt-tokenizer r50k_base has ${vocabularySize} ids, expected ${END_OF_TEXT + 1}`);
  }
  instance = {
    name: 'gpt2',
    version: `r50k_base (gpt-tokenizer@${version})`,
    vocabSize: vocabularySize,
    documentSeparator: [END_OF_TEXT],
    input: 'text',
    encode: (text) => encode(text, asPlainText),
    decode(tokens) {
      const ids = Array.from(tokens);
      const bad = ids.find((t) => !(Number.isInteger(t) && t >= 0 && t < vocabularySize));
      if (bad !== undefined) throw new CrucibleError('DATA', `token ${bad} is outside the GPT-2 vocabulary`);
      return decode(ids);
    },
    safeCut,
  };
  return instance;
}

/**
 * GPT-2 pre-tokenizes with `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
 * and never merges across pieces. A single space with non-whitespace on both sides always starts a
 * piece (" word", " 42", " ,") and no piece before it can reach it, so cutting just before such a space
 * gives the same ids as encoding the whole text.
 */
function safeCut(text: string): number {
  for (let i = text.length - 2; i > 0; i--) {
    if (text.charCodeAt(i) === 32 && !whitespace.test(text[i - 1]!) && !whitespace.test(text[i + 1]!)) return i;
  }
  return 0;
}
