import { CrucibleError } from '@crucible/core';
import { tokenBytes, type TokenDtype } from '@crucible/model';

/**
 * One shard object (`datasets/<name>/shards/<index>.crds`), little-endian:
 *
 *   offset 0                      header, SHARD_HEADER_BYTES = 64:
 *            0  magic "CRDSHARD"   (8 bytes)
 *            8  u32 version        (SHARD_VERSION)
 *           12  u32 id width       (bytes per token id: 1, 2 or 4 = uint8, uint16, uint32)
 *           16  u32 shard index    (its position in the manifest)
 *           20  u32 page size      (tokens per page)
 *           24  u32 page count     (P)
 *           28  u32 0
 *           32  u64 token count    (= P × page size; a shard holds whole pages only)
 *           40  24 zero bytes
 *   offset 64                     page index: P blake2b-256 hashes, one per page's id bytes
 *   offset 64 + 32·P              the ids, page after page (page i at 64 + 32·P + i·pageBytes)
 *
 * The header and the page index together are the shard's "index" (one contiguous range); the manifest
 * pins its hash, and the index pins every page, so a reader can verify any single page fetched with a
 * ranged GET: manifest hash → index hash → page hash → page bytes.
 */
export const SHARD_MAGIC = 'CRDSHARD';
export const SHARD_VERSION = 1;
export const SHARD_HEADER_BYTES = 64;
export const PAGE_HASH_BYTES = 32;

export interface ShardHeader {
  readonly version: number;
  readonly dtype: TokenDtype;
  readonly shardIndex: number;
  readonly pageSize: number;
  readonly pageCount: number;
  readonly tokenCount: number;
}

const dtypeOfWidth: Record<number, TokenDtype | undefined> = { 1: 'uint8', 2: 'uint16', 4: 'uint32' };
const magicBytes = new TextEncoder().encode(SHARD_MAGIC);

/** Bytes of a shard's index (header + page hashes). */
export function shardIndexBytes(pageCount: number): number {
  return SHARD_HEADER_BYTES + PAGE_HASH_BYTES * pageCount;
}

/** Bytes of a whole shard. */
export function shardBytes(pageCount: number, pageSize: number, dtype: TokenDtype): number {
  return shardIndexBytes(pageCount) + pageCount * pageSize * tokenBytes(dtype);
}

/** Byte range of page `local` (0-based within the shard) in the shard object. */
export function pageRange(local: number, pageCount: number, pageSize: number, dtype: TokenDtype): { offset: number; length: number } {
  const length = pageSize * tokenBytes(dtype);
  return { offset: shardIndexBytes(pageCount) + local * length, length };
}

export function encodeShardHeader(header: Omit<ShardHeader, 'version' | 'tokenCount'>, into: Uint8Array = new Uint8Array(SHARD_HEADER_BYTES)): Uint8Array {
  const view = new DataView(into.buffer, into.byteOffset, SHARD_HEADER_BYTES);
  into.fill(0, 0, SHARD_HEADER_BYTES);
  into.set(magicBytes, 0);
  view.setUint32(8, SHARD_VERSION, true);
  view.setUint32(12, tokenBytes(header.dtype), true);
  view.setUint32(16, header.shardIndex, true);
  view.setUint32(20, header.pageSize, true);
  view.setUint32(24, header.pageCount, true);
  view.setBigUint64(32, BigInt(header.pageCount) * BigInt(header.pageSize), true);
  return into;
}

/** Parses and checks a shard header; DATASET_INVALID names what is wrong (with a hint for versions). */
export function decodeShardHeader(bytes: Uint8Array): ShardHeader {
  const bad = (message: string, details: Record<string, unknown> = {}) => new CrucibleError('DATASET_INVALID', `shard header: ${message}`, { details });
  if (bytes.length < SHARD_HEADER_BYTES) throw bad(`${bytes.length} bytes, a header has ${SHARD_HEADER_BYTES}`);
  if (!magicBytes.every((b, i) => bytes[i] === b)) throw bad(`not a Crucible shard (magic ${JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 8)))})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, SHARD_HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== SHARD_VERSION) throw bad(`the producer wrote version ${version}, this reader reads version ${SHARD_VERSION}`, { version });
  const width = view.getUint32(12, true);
  const dtype = dtypeOfWidth[width];
  if (dtype === undefined) throw bad(`token id width ${width} is not 1, 2 or 4`, { width });
  const pageSize = view.getUint32(20, true);
  const pageCount = view.getUint32(24, true);
  const tokenCount = view.getBigUint64(32, true);
  if (pageSize < 2 || pageCount < 1) throw bad(`page size ${pageSize} and page count ${pageCount} must be at least 2 and 1`);
  if (tokenCount !== BigInt(pageSize) * BigInt(pageCount)) throw bad(`token count ${tokenCount} is not ${pageCount} pages × ${pageSize}`);
  return { version, dtype, shardIndex: view.getUint32(16, true), pageSize, pageCount, tokenCount: Number(tokenCount) };
}
