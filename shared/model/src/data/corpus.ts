import { blake2b256, CrucibleError, toHex } from '@crucible/core';
import { sampleBatch } from './sampleBatch.js';
import type { Batch } from './sampleBatch.js';
import type { BatchSource } from './batchSource.js';
import type { PrngSeed } from './prng.js';
import { allocTokens, bytesOfTokens, dtypeForVocab, type TokenArray } from './tokenArray.js';
import { byteTokenizer, type Tokenizer, type TokenizerName } from './tokenizers.js';

export interface CorpusOptions {
  /** Tokens (bytes) per page. Default 4096. */
  pageSize?: number;
  /** Every k-th page (global index ≡ k−1 mod k) is held out for validation. Default 20 (5 %). */
  valEvery?: number;
  /** The vocabulary of the ids. Default 'bytes'. */
  tokenizer?: TokenizerName;
}

export const corpusDefaults: Required<CorpusOptions> = { pageSize: 4096, valEvery: 20, tokenizer: 'bytes' };

/** Bytes appended after every document, so documents do not run into each other. */
export const DOCUMENT_SEPARATOR = '\n\n';

/**
 * A tokenized corpus split into fixed-size pages.
 *
 * Layout: the documents, in the order given, are tokenized and concatenated, each followed by the
 * tokenizer's document separator (bytes: the UTF-8 bytes followed by DOCUMENT_SEPARATOR); the stream is cut into ⌊length / pageSize⌋ pages of exactly pageSize tokens (the
 * partial last page is dropped). Global page g is a validation page when g mod valEvery = valEvery − 1,
 * otherwise a training page. Training pages are numbered 0.. in global order (these are the indices
 * assignPages returns), and so are validation pages.
 */
export class Corpus implements BatchSource {
  readonly pageSize: number;
  readonly valEvery: number;
  /** A human-readable description of where the text came from. */
  readonly source: string;
  readonly tokenizer: TokenizerName;
  private readonly tokens: TokenArray;
  private readonly trainPages: number[] = [];
  private readonly valPages: number[] = [];
  private hash: `0x${string}` | undefined;

  constructor(tokens: TokenArray, source: string, options: CorpusOptions = {}) {
    const { pageSize, valEvery, tokenizer } = { ...corpusDefaults, ...options };
    this.tokenizer = tokenizer;
    if (!Number.isSafeInteger(pageSize) || pageSize < 2) throw new CrucibleError('DATA', `pageSize must be an integer >= 2, got ${pageSize}`);
    if (!Number.isSafeInteger(valEvery) || valEvery < 2) throw new CrucibleError('DATA', `valEvery must be an integer >= 2, got ${valEvery}`);
    this.pageSize = pageSize;
    this.valEvery = valEvery;
    this.source = source;
    this.tokens = tokens;
    const pages = Math.floor(tokens.length / pageSize);
    for (let g = 0; g < pages; g++) (g % valEvery === valEvery - 1 ? this.valPages : this.trainPages).push(g);
    if (this.trainPages.length === 0 || this.valPages.length === 0) {
      throw new CrucibleError('DATA', `corpus ${source} is too small: ${tokens.length} tokens make ${pages} pages of ${pageSize}; need at least ${valEvery}`, {
        details: { tokens: tokens.length, pageSize, valEvery },
      });
    }
  }

  /**
   * Builds a corpus from documents (strings or UTF-8 bytes), in the order given, with `tokenizer`
   * (default: bytes, whose ids are the documents' bytes as they are).
   */
  static fromDocuments(documents: readonly (string | Uint8Array)[], source: string, options: CorpusOptions = {}, tokenizer: Tokenizer = byteTokenizer): Corpus {
    if ((options.tokenizer ?? tokenizer.name) !== tokenizer.name) {
      throw new CrucibleError('DATA', `options name tokenizer ${options.tokenizer} but ${tokenizer.name} was given`);
    }
    const separator = tokenizer.documentSeparator;
    const utf8 = new TextDecoder('utf-8');
    const encoded = documents.map((d) =>
      tokenizer.input === 'bytes' && typeof d !== 'string' ? d : tokenizer.encode(typeof d === 'string' ? d : utf8.decode(d)),
    );
    const total = encoded.reduce((n, d) => n + d.length + separator.length, 0);
    const tokens = allocTokens(dtypeForVocab(tokenizer.vocabSize), total);
    let p = 0;
    for (const d of encoded) {
      tokens.set(d, p);
      tokens.set(separator, p + d.length);
      p += d.length + separator.length;
    }
    return new Corpus(tokens, source, { ...options, tokenizer: tokenizer.name });
  }

  get trainPageCount(): number {
    return this.trainPages.length;
  }

  get valPageCount(): number {
    return this.valPages.length;
  }

  /** Total tokens in the stream (including the dropped partial page). */
  get tokenCount(): number {
    return this.tokens.length;
  }

  /** Training page i (a view; do not modify). */
  trainPage(i: number): TokenArray {
    return this.page(this.trainPages, i, 'training');
  }

  /** Validation page i (a view; do not modify). */
  valPage(i: number): TokenArray {
    return this.page(this.valPages, i, 'validation');
  }

  /** A training batch drawn from the given training pages (e.g. from assignPages), see sampleBatch. */
  trainBatch(pageIndices: readonly number[], batchSize: number, seqLen: number, seed: PrngSeed): Batch {
    return sampleBatch(pageIndices.map((i) => this.trainPage(i)), { batchSize, seqLen, seed });
  }

  /** A batch drawn from all validation pages with a fixed seed ("crucible-validation" by default). */
  validationBatch(batchSize: number, seqLen: number, seed: PrngSeed = 'crucible-validation'): Batch {
    return sampleBatch(this.valPages.map((_, i) => this.valPage(i)), { batchSize, seqLen, seed });
  }

  /**
   * blake2b-256 of the token stream's little-endian bytes, so parties can check they hold the same
   * corpus (await cryptoReady() first for speed).
   */
  contentHash(): `0x${string}` {
    this.hash ??= toHex(blake2b256(bytesOfTokens(this.tokens)));
    return this.hash;
  }

  private page(table: readonly number[], i: number, kind: string): TokenArray {
    const g = Number.isSafeInteger(i) ? table[i] : undefined;
    if (g === undefined) throw new CrucibleError('DATA', `${kind} page ${i} out of range [0, ${table.length})`);
    return this.tokens.subarray(g * this.pageSize, (g + 1) * this.pageSize);
  }
}
