import { z } from 'zod';
import { blake2b256, CrucibleError, toHex } from '@crucible/core';
import { dtypeForVocab, splitCounts, TOKEN_DTYPES, TOKENIZER_NAMES, TOKENIZER_VOCAB_SIZES } from '@crucible/model';
import { shardBytes } from './shardFormat.js';

export const DATASET_FORMAT = 'crucible-dataset';
export const DATASET_MANIFEST_VERSION = 1;

const hash32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x-prefixed lowercase blake2b-256 hex digest');
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const shardEntrySchema = z.strictObject({
  /** Whole pages in the shard: `shardPages` for every shard but the last, 1..shardPages for the last. */
  pages: z.number().int().min(1),
  /** Bytes of the shard object. */
  bytes: count,
  /** blake2b-256 of the whole shard object (also its storage content hash). */
  contentHash: hash32,
  /** blake2b-256 of its index (header + page hashes), which verifies every page read by range. */
  indexHash: hash32,
});

/**
 * A dataset manifest: what the shards hold and how to check them. It describes content only (no
 * location, no time), so preparing the same text with the same settings gives the same manifest and
 * hash wherever it is published.
 */
export const datasetManifestSchema = z
  .strictObject({
    format: z.literal(DATASET_FORMAT),
    version: z.literal(DATASET_MANIFEST_VERSION),
    /** Where the text came from (free text, for people). */
    source: z.string().max(1000),
    tokenizer: z.strictObject({ name: z.enum(TOKENIZER_NAMES), version: z.string().min(1).max(200) }),
    vocabSize: z.number().int().min(2).max(2 ** 32),
    dtype: z.enum(TOKEN_DTYPES),
    /** Tokens per page (the unit of assignment and of a ranged read). */
    pageSize: z.number().int().min(2).max(2 ** 24),
    /** Pages per shard (every shard but the last is full). */
    shardPages: z.number().int().min(1).max(2 ** 20),
    /** Global page g is held out for validation when g mod valEvery = valEvery − 1. */
    split: z.strictObject({ rule: z.literal('every'), valEvery: z.number().int().min(2) }),
    /** Ids appended after every document. */
    documentSeparator: z.array(z.number().int().min(0)).max(64),
    documents: count,
    textBytes: count,
    /** Ids after the last whole page (not in any shard). */
    droppedTokens: count,
    pageCount: count,
    trainPages: count,
    valPages: count,
    shards: z.array(shardEntrySchema).min(1),
  })
  .superRefine((m, ctx) => {
    const problem = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
    if (m.vocabSize !== TOKENIZER_VOCAB_SIZES[m.tokenizer.name]) problem(`tokenizer ${m.tokenizer.name} has ${TOKENIZER_VOCAB_SIZES[m.tokenizer.name]} ids, not ${m.vocabSize}`, ['vocabSize']);
    if (m.vocabSize <= 2 ** 32 && m.dtype !== dtypeForVocab(m.vocabSize)) problem(`a vocabulary of ${m.vocabSize} is stored as ${dtypeForVocab(m.vocabSize)}`, ['dtype']);
    if (m.documentSeparator.some((t) => t >= m.vocabSize)) problem('separator ids must be inside the vocabulary', ['documentSeparator']);
    m.shards.forEach((s, i) => {
      const last = i === m.shards.length - 1;
      if (last ? s.pages > m.shardPages : s.pages !== m.shardPages) problem(`shard ${i} has ${s.pages} pages; ${last ? 'the last shard holds at most' : 'every shard but the last holds'} ${m.shardPages}`, ['shards', i, 'pages']);
      const want = shardBytes(s.pages, m.pageSize, m.dtype);
      if (s.bytes !== want) problem(`shard ${i} of ${s.pages} pages must be ${want} bytes, not ${s.bytes}`, ['shards', i, 'bytes']);
    });
    const pages = m.shards.reduce((n, s) => n + s.pages, 0);
    if (m.pageCount !== pages) problem(`the shards hold ${pages} pages, not ${m.pageCount}`, ['pageCount']);
    const split = splitCounts(pages, m.split.valEvery);
    if (m.trainPages !== split.trainPages || m.valPages !== split.valPages) {
      problem(`${pages} pages split every ${m.split.valEvery} give ${split.trainPages} training and ${split.valPages} validation pages`, ['trainPages']);
    }
    if (split.trainPages < 1 || split.valPages < 1) problem(`${pages} pages are too few to hold out every ${m.split.valEvery}th`, ['pageCount']);
  });

export type DatasetManifest = z.output<typeof datasetManifestSchema>;
export type ShardEntry = z.output<typeof shardEntrySchema>;

/** JSON with object keys sorted at every level and no whitespace: one byte string per manifest. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The bytes a manifest is published as: its canonical JSON in UTF-8. */
export function encodeManifest(manifest: DatasetManifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(datasetManifestSchema.parse(manifest)));
}

/** The hash a run configuration pins: blake2b-256 of the canonical bytes. */
export function manifestHash(manifest: DatasetManifest): `0x${string}` {
  return toHex(blake2b256(encodeManifest(manifest)));
}

/**
 * Parses published manifest bytes. Refuses (DATASET_INVALID) anything that is not canonical JSON of a
 * valid, self-consistent manifest, and (DATA_CORRUPT) bytes whose hash is not `expectedHash` when given.
 */
export function decodeManifest(bytes: Uint8Array, expectedHash?: string): DatasetManifest {
  if (expectedHash !== undefined) {
    const actual = toHex(blake2b256(bytes));
    if (actual !== expectedHash) {
      throw new CrucibleError('DATA_CORRUPT', `dataset manifest hash is ${actual}, the run pins ${expectedHash}`, { details: { expected: expectedHash, actual } });
    }
  }
  let json: unknown;
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    json = JSON.parse(text.decode(bytes));
  } catch (cause) {
    throw new CrucibleError('DATASET_INVALID', 'dataset manifest is not UTF-8 JSON (truncated?)', { cause, details: { bytes: bytes.length } });
  }
  const parsed = datasetManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CrucibleError('DATASET_INVALID', `dataset manifest is invalid: ${issues.slice(0, 5).join('; ')}`, { details: { issues } });
  }
  if (canonicalJson(parsed.data) !== text.decode(bytes)) {
    throw new CrucibleError('DATASET_INVALID', 'dataset manifest is not in canonical form (sorted keys, no whitespace), so its hash is ambiguous');
  }
  return parsed.data;
}
