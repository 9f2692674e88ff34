import { blake2b256, CrucibleError, cryptoReady, toHex } from '@crucible/core';
import { datasetShardKey, type ObjectStore } from '@crucible/storage';
import type { DatasetManifest } from './manifest.js';
import { decodeShardHeader, PAGE_HASH_BYTES, pageRange, SHARD_HEADER_BYTES, shardIndexBytes } from './shardFormat.js';

export interface ShardCheck {
  readonly shard: number;
  readonly key: string;
  readonly ok: boolean;
  /** Why it failed: DATASET_INVALID (size, header), DATA_CORRUPT (a hash), STORAGE_NOT_FOUND, … */
  readonly error?: CrucibleError;
}

export interface VerifyOptions {
  /** Download every shard whole and check every page (default); false checks sizes and indexes only. */
  readonly full?: boolean;
  readonly timeoutMs?: number;
  readonly onShard?: (check: ShardCheck) => void;
}

/**
 * Checks a published dataset against its manifest, one shard at a time (memory: one shard): the
 * object's size, its header, its index hash and — with `full` — its content hash and every page hash.
 */
export async function verifyDataset(store: ObjectStore, name: string, manifest: DatasetManifest, options: VerifyOptions = {}): Promise<{ ok: boolean; shards: ShardCheck[] }> {
  await cryptoReady();
  const shards: ShardCheck[] = [];
  for (let s = 0; s < manifest.shards.length; s++) {
    const key = datasetShardKey(name, s);
    let check: ShardCheck;
    try {
      await verifyShard(store, key, s, manifest, options);
      check = { shard: s, key, ok: true };
    } catch (error) {
      check = { shard: s, key, ok: false, error: error instanceof CrucibleError ? error : new CrucibleError('INTERNAL', String(error), { cause: error }) };
    }
    shards.push(check);
    options.onShard?.(check);
  }
  return { ok: shards.every((c) => c.ok), shards };
}

async function verifyShard(store: ObjectStore, key: string, s: number, m: DatasetManifest, options: VerifyOptions): Promise<void> {
  const entry = m.shards[s]!;
  const head = await store.head(key);
  if (head === undefined) throw new CrucibleError('STORAGE_NOT_FOUND', `shard ${s} (${key}) is missing`, { details: { shard: s, key } });
  if (head.size !== entry.bytes) {
    throw new CrucibleError('DATASET_INVALID', `shard ${s} is ${head.size} bytes, the manifest says ${entry.bytes} (${head.size < entry.bytes ? 'truncated' : 'too long'})`, {
      details: { shard: s, key, size: head.size, expected: entry.bytes },
    });
  }
  const indexLength = shardIndexBytes(entry.pages);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const bytes = options.full === false ? await store.getRange(key, { offset: 0, length: indexLength, timeoutMs }) : (await store.get(key, { maxBytes: entry.bytes, timeoutMs })).body;
  const header = decodeShardHeader(bytes);
  if (header.shardIndex !== s || header.pageCount !== entry.pages || header.pageSize !== m.pageSize || header.dtype !== m.dtype) {
    throw new CrucibleError('DATASET_INVALID', `shard ${s}'s header (shard ${header.shardIndex}, ${header.pageCount} pages of ${header.pageSize} ${header.dtype}) disagrees with the manifest`, {
      details: { shard: s, key, header },
    });
  }
  const indexHash = toHex(blake2b256(bytes.subarray(0, indexLength)));
  if (indexHash !== entry.indexHash) throw corrupt(s, key, 'index', entry.indexHash, indexHash);
  if (options.full === false) return;
  const contentHash = toHex(blake2b256(bytes));
  if (contentHash !== entry.contentHash) throw corrupt(s, key, 'content', entry.contentHash, contentHash);
  // The content hash already covers everything; checking pages too proves the index describes them.
  for (let p = 0; p < entry.pages; p++) {
    const { offset, length } = pageRange(p, entry.pages, m.pageSize, m.dtype);
    const actual = blake2b256(bytes.subarray(offset, offset + length));
    const expected = bytes.subarray(SHARD_HEADER_BYTES + p * PAGE_HASH_BYTES, SHARD_HEADER_BYTES + (p + 1) * PAGE_HASH_BYTES);
    if (toHex(actual) !== toHex(expected)) throw corrupt(s, key, `page ${p}`, toHex(expected), toHex(actual));
  }
}

function corrupt(shard: number, key: string, what: string, expected: string, actual: string): CrucibleError {
  return new CrucibleError('DATA_CORRUPT', `shard ${shard}'s ${what} hash does not match (${key})`, { details: { shard, key, what, expected, actual } });
}
