import { beforeAll, describe, expect, it } from 'vitest';
import { blake2b256, cryptoReady, toHex } from '@crucible/core';
import { tokensFromBytes } from '@crucible/model';
import { pageHash, ShardBuilder } from './shardBuilder.js';
import { decodeShardHeader, encodeShardHeader, PAGE_HASH_BYTES, pageRange, SHARD_HEADER_BYTES, shardBytes, shardIndexBytes } from './shardFormat.js';

beforeAll(async () => {
  await cryptoReady();
});

/** ids 0, 1, 2, … spread over the GPT-2 range so 16-bit ids above 255 occur. */
const ids = (from: number, n: number) => Uint16Array.from({ length: n }, (_, i) => ((from + i) * 977) % 50257);

describe('shard writing', () => {
  it('lays out header, page hashes and pages as documented, for a full shard', () => {
    const builder = new ShardBuilder({ dtype: 'uint16', pageSize: 8, shardPages: 3 });
    expect(builder.append(ids(0, 30))).toBe(24); // takes only what fits
    expect(builder.full).toBe(true);
    const shard = builder.finish(7)!;
    expect(shard.pages).toBe(3);
    expect(shard.droppedTokens).toBe(0);
    expect(shard.bytes.length).toBe(shardBytes(3, 8, 'uint16'));
    expect(shard.bytes.length).toBe(64 + 3 * 32 + 3 * 8 * 2);
    expect(decodeShardHeader(shard.bytes)).toEqual({ version: 1, dtype: 'uint16', shardIndex: 7, pageSize: 8, pageCount: 3, tokenCount: 24 });
    expect(new TextDecoder().decode(shard.bytes.subarray(0, 8))).toBe('CRDSHARD');
    for (let p = 0; p < 3; p++) {
      const { offset, length } = pageRange(p, 3, 8, 'uint16');
      const page = tokensFromBytes('uint16', shard.bytes.slice(offset, offset + length));
      expect(Array.from(page)).toEqual(Array.from(ids(p * 8, 8)));
      expect(shard.bytes.subarray(SHARD_HEADER_BYTES + p * PAGE_HASH_BYTES, SHARD_HEADER_BYTES + (p + 1) * PAGE_HASH_BYTES)).toEqual(pageHash(page));
    }
    expect(shard.contentHash).toBe(toHex(blake2b256(shard.bytes)));
    expect(shard.indexHash).toBe(toHex(blake2b256(shard.bytes.subarray(0, shardIndexBytes(3)))));
  });

  it('writes a short last shard with only its whole pages and counts the dropped tail', () => {
    const builder = new ShardBuilder({ dtype: 'uint16', pageSize: 8, shardPages: 4 });
    // Plain arrays and typed arrays, appended in uneven pieces.
    builder.append(Array.from(ids(0, 5)));
    builder.append(ids(5, 11));
    builder.append(Array.from(ids(16, 3)));
    const shard = builder.finish(0)!;
    expect(shard.pages).toBe(2);
    expect(shard.droppedTokens).toBe(3);
    expect(shard.bytes.length).toBe(shardBytes(2, 8, 'uint16'));
    const { offset } = pageRange(0, 2, 8, 'uint16');
    expect(Array.from(tokensFromBytes('uint16', shard.bytes.slice(offset)))).toEqual(Array.from(ids(0, 16)));
    expect(builder.size).toBe(0);
    expect(builder.finish(1)).toBeUndefined();
  });

  it('hashes identical input identically, and any changed id changes the content and index hashes', () => {
    const make = (tweak: boolean) => {
      const b = new ShardBuilder({ dtype: 'uint32', pageSize: 4, shardPages: 2 });
      const input = Uint32Array.from(ids(0, 8));
      if (tweak) input[5] = 70000;
      b.append(input);
      return b.finish(0)!;
    };
    const [a, again, changed] = [make(false), make(false), make(true)];
    expect(again.contentHash).toBe(a.contentHash);
    expect(changed.contentHash).not.toBe(a.contentHash);
    expect(changed.indexHash).not.toBe(a.indexHash);
  });
});

describe('shard headers', () => {
  const good = encodeShardHeader({ dtype: 'uint8', shardIndex: 2, pageSize: 16, pageCount: 5 });

  it('round-trip', () => {
    expect(decodeShardHeader(good)).toMatchObject({ dtype: 'uint8', shardIndex: 2, pageSize: 16, pageCount: 5, tokenCount: 80 });
  });

  it('refuse foreign, newer, truncated and inconsistent headers with DATASET_INVALID', () => {
    const edit = (at: number, value: number) => {
      const b = good.slice();
      new DataView(b.buffer).setUint32(at, value, true);
      return b;
    };
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 40), /40 bytes, a header has 64/],
      [Uint8Array.from(good, (v, i) => (i === 0 ? 0x58 : v)), /not a Crucible shard/],
      [edit(8, 2), /the producer wrote version 2, this reader reads version 1/],
      [edit(12, 3), /token id width 3/],
      [edit(32, 81), /token count 81 is not 5 pages × 16/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeShardHeader(bytes)).toThrow(expect.objectContaining({ code: 'DATASET_INVALID', message: expect.stringMatching(message) }));
    }
  });
});
