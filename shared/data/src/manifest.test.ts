import { beforeAll, describe, expect, it } from 'vitest';
import { blake2b256, cryptoReady, toHex } from '@crucible/core';
import { canonicalJson, decodeManifest, encodeManifest, manifestHash, type DatasetManifest } from './manifest.js';
import { ShardBuilder } from './shardBuilder.js';

beforeAll(async () => {
  await cryptoReady();
});

/** A self-consistent manifest of 2 byte-level shards (3 + 2 pages of 4 tokens). */
function manifest(): DatasetManifest {
  const builder = new ShardBuilder({ dtype: 'uint8', pageSize: 4, shardPages: 3 });
  const shards = [12, 8].map((n, i) => {
    builder.append(Uint8Array.from({ length: n }, (_, k) => (k * 7 + i) % 256));
    const s = builder.finish(i)!;
    return { pages: s.pages, bytes: s.bytes.length, contentHash: s.contentHash, indexHash: s.indexHash };
  });
  return {
    format: 'crucible-dataset',
    version: 1,
    source: 'test',
    tokenizer: { name: 'bytes', version: 'utf-8' },
    vocabSize: 256,
    dtype: 'uint8',
    pageSize: 4,
    shardPages: 3,
    split: { rule: 'every', valEvery: 2 },
    documentSeparator: [10, 10],
    documents: 1,
    textBytes: 21,
    droppedTokens: 1,
    pageCount: 5,
    trainPages: 3,
    valPages: 2,
    shards,
  };
}

const encode = (value: unknown) => new TextEncoder().encode(canonicalJson(value));

describe('dataset manifests', () => {
  it('are published as canonical JSON (sorted keys, no whitespace) and pinned by its blake2b-256', () => {
    const m = manifest();
    const bytes = encodeManifest(m);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('{"documentSeparator":[10,10],"documents":1,"droppedTokens":1,"dtype":"uint8","format":"crucible-dataset"')).toBe(true);
    expect(manifestHash(m)).toBe(toHex(blake2b256(bytes)));
    expect(manifestHash({ ...m })).toBe(manifestHash(m));
    expect(decodeManifest(bytes, manifestHash(m))).toEqual(m);
  });

  it('refuse a manifest whose hash is not the pinned one (DATA_CORRUPT)', () => {
    const m = manifest();
    const other = manifestHash({ ...m, source: 'other' });
    expect(() => decodeManifest(encodeManifest(m), other)).toThrow(expect.objectContaining({ code: 'DATA_CORRUPT', message: expect.stringMatching(/the run pins/) }));
  });

  it('refuse truncated, non-canonical and foreign bytes (DATASET_INVALID)', () => {
    const bytes = encodeManifest(manifest());
    expect(() => decodeManifest(bytes.subarray(0, bytes.length - 10))).toThrow(expect.objectContaining({ code: 'DATASET_INVALID', message: expect.stringMatching(/truncated\?/) }));
    const pretty = new TextEncoder().encode(JSON.stringify(manifest(), null, 2));
    expect(() => decodeManifest(pretty)).toThrow(expect.objectContaining({ code: 'DATASET_INVALID', message: expect.stringMatching(/canonical form/) }));
    expect(() => decodeManifest(encode({ ...manifest(), extra: 1 }))).toThrow(expect.objectContaining({ code: 'DATASET_INVALID', message: expect.stringMatching(/extra/) }));
    expect(() => decodeManifest(encode({ ...manifest(), version: 2 }))).toThrow(expect.objectContaining({ code: 'DATASET_INVALID', message: expect.stringMatching(/version/) }));
  });

  it('refuse shard lists that do not match the counts they claim', () => {
    const m = manifest();
    const cases: [unknown, RegExp][] = [
      [{ ...m, vocabSize: 50257, dtype: 'uint16' }, /tokenizer bytes has 256 ids, not 50257/],
      [{ ...m, dtype: 'uint16' }, /a vocabulary of 256 is stored as uint8/],
      [{ ...m, shards: [{ ...m.shards[0]!, pages: 2 }, m.shards[1]] }, /shard 0 has 2 pages; every shard but the last holds 3/],
      [{ ...m, shards: [m.shards[0], { ...m.shards[1]!, bytes: m.shards[1]!.bytes - 1 }] }, /shard 1 of 2 pages must be \d+ bytes/],
      [{ ...m, pageCount: 6 }, /the shards hold 5 pages, not 6/],
      [{ ...m, trainPages: 4, valPages: 1 }, /give 3 training and 2 validation pages/],
      [{ ...m, split: { rule: 'every', valEvery: 9 }, trainPages: 5, valPages: 0 }, /too few to hold out every 9th/],
      [{ ...m, shards: [m.shards[0], { ...m.shards[1]!, contentHash: '0x12' }] }, /blake2b-256 hex digest/],
    ];
    for (const [bad, message] of cases) {
      expect(() => decodeManifest(encode(bad)), String(message)).toThrow(expect.objectContaining({ code: 'DATASET_INVALID', message: expect.stringMatching(message) }));
    }
  });
});
