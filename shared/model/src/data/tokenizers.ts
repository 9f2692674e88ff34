import { CrucibleError } from '@crucible/core';
import { BYTE_VOCAB_SIZE, decodeTokens, encodeText } from './tokenizer.js';

/**
 * The tokenizers a model and a dataset can name. `bytes` is the byte-level vocabulary (token = UTF-8
 * byte, the default; existing checkpoints use it); `gpt2` is GPT-2's byte-level BPE (r50k_base, 50,257
 * ids, `<|endoftext|>` = 50256) from the `gpt-tokenizer` package, which ships its vocabulary.
 */
export const TOKENIZER_NAMES = ['bytes', 'gpt2'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

/** Vocabulary size of each tokenizer, known without loading it (the GPT-2 tables take ~60 MB). */
export const TOKENIZER_VOCAB_SIZES: Readonly<Record<TokenizerName, number>> = { bytes: BYTE_VOCAB_SIZE, gpt2: 50257 };

export function isTokenizerName(name: string): name is TokenizerName {
  return (TOKENIZER_NAMES as readonly string[]).includes(name);
}

export interface Tokenizer {
  readonly name: TokenizerName;
  /** Which vocabulary and implementation produced the ids (datasets record it). */
  readonly version: string;
  readonly vocabSize: number;
  /** Ids appended after every document, so documents do not run into each other. */
  readonly documentSeparator: readonly number[];
  /**
   * `bytes`: a file's raw bytes are its tokens (no UTF-8 decoding; any cut is safe). `text`: files are
   * decoded as UTF-8 and may be cut only where `safeCut` says.
   */
  readonly input: 'bytes' | 'text';
  /** Text → ids. Special-token text such as "<|endoftext|>" inside a document is encoded as plain text. */
  encode(text: string): ArrayLike<number>;
  /** Ids → text; incomplete UTF-8 decodes to U+FFFD. Ids outside the vocabulary throw DATA. */
  decode(tokens: ArrayLike<number>): string;
  /**
   * The largest index i in (0, text.length) such that encode(text[0:i]) ++ encode(text[i:] + more) =
   * encode(text + more) for any continuation, or 0 when the text has none.
   */
  safeCut(text: string): number;
}

/** The byte-level tokenizer; documents are separated by "\n\n" (as Corpus always did). */
export const byteTokenizer: Tokenizer = {
  name: 'bytes',
  version: 'utf-8',
  vocabSize: BYTE_VOCAB_SIZE,
  documentSeparator: Array.from(encodeText('\n\n')),
  input: 'bytes',
  encode: encodeText,
  decode(tokens) {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!(Number.isInteger(t) && t >= 0 && t < BYTE_VOCAB_SIZE)) throw new CrucibleError('DATA', `token ${t} is not a byte`);
    }
    return decodeTokens(tokens);
  },
  safeCut: (text) => Math.max(0, text.length - 1),
};

/**
 * The named tokenizer. `gpt2` is imported on first use, so processes that train byte-level models never
 * load its tables.
 */
export async function loadTokenizer(name: TokenizerName | string): Promise<Tokenizer> {
  if (name === 'bytes') return byteTokenizer;
  if (name === 'gpt2') return (await import('./gpt2Tokenizer.js')).gpt2Tokenizer();
  throw new CrucibleError('DATA', `unknown tokenizer "${name}"; choose one of ${TOKENIZER_NAMES.join(', ')}`, { details: { tokenizer: name } });
}
