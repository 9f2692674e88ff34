import { blake2b256, CrucibleError, toHex } from '@crucible/core';
import { bytesOfTokens, tokenBytes, tokensFromBytes, type TokenArray, type TokenDtype } from '@crucible/model';
import { encodeShardHeader, PAGE_HASH_BYTES, SHARD_HEADER_BYTES, shardIndexBytes } from './shardFormat.js';

export interface ShardBuilderOptions {
  readonly dtype: TokenDtype;
  readonly pageSize: number;
  /** Pages in a full shard. */
  readonly shardPages: number;
}

/** A finished shard: its bytes (valid until the builder is used again) and what the manifest records. */
export interface BuiltShard {
  readonly bytes: Uint8Array;
  readonly pages: number;
  /** blake2b-256 of the whole shard (what storage records as the object's content hash). */
  readonly contentHash: `0x${string}`;
  /** blake2b-256 of the shard's index: header and page hashes. */
  readonly indexHash: `0x${string}`;
  /** Ids after the last whole page that did not fit in a page (dropped; only the last shard has any). */
  readonly droppedTokens: number;
}

/**
 * Fills shards of `shardPages` pages from a stream of ids in one buffer of a full shard's size, so
 * preparing a dataset of any size holds one shard in memory. Ids go straight to their final place; a
 * short last shard moves its ids down over the unused part of the page index.
 */
export class ShardBuilder {
  readonly options: ShardBuilderOptions;
  private readonly buffer: Uint8Array;
  private readonly ids: TokenArray;
  private readonly capacity: number;
  private filled = 0;

  constructor(options: ShardBuilderOptions) {
    const { dtype, pageSize, shardPages } = options;
    if (!Number.isSafeInteger(pageSize) || pageSize < 2 || !Number.isSafeInteger(shardPages) || shardPages < 1) {
      throw new CrucibleError('DATA', `page size ${pageSize} and shard pages ${shardPages} must be integers >= 2 and >= 1`);
    }
    this.options = options;
    this.capacity = pageSize * shardPages;
    const dataOffset = shardIndexBytes(shardPages);
    this.buffer = new Uint8Array(dataOffset + this.capacity * tokenBytes(dtype));
    // dataOffset is a multiple of 32, so the id view is aligned for every width.
    this.ids = tokensFromBytes(dtype, this.buffer.subarray(dataOffset));
  }

  /** Ids held so far. */
  get size(): number {
    return this.filled;
  }

  get full(): boolean {
    return this.filled === this.capacity;
  }

  /** Copies as many of `ids` (from `start`) as fit; returns how many it took. */
  append(ids: ArrayLike<number>, start = 0): number {
    const n = Math.min(ids.length - start, this.capacity - this.filled);
    if (ArrayBuffer.isView(ids)) {
      this.ids.set((ids as unknown as TokenArray).subarray(start, start + n), this.filled);
    } else {
      for (let i = 0; i < n; i++) this.ids[this.filled + i] = ids[start + i]!;
    }
    this.filled += n;
    return n;
  }

  /**
   * Finishes the shard from the whole pages held (the remainder of a partial page is dropped) and
   * empties the builder. Undefined when not one whole page is held.
   */
  finish(shardIndex: number): BuiltShard | undefined {
    const { dtype, pageSize, shardPages } = this.options;
    const pages = Math.floor(this.filled / pageSize);
    const droppedTokens = this.filled - pages * pageSize;
    this.filled = 0;
    if (pages === 0) return undefined;
    const width = tokenBytes(dtype);
    const dataOffset = shardIndexBytes(pages);
    const dataBytes = pages * pageSize * width;
    if (pages < shardPages) this.buffer.copyWithin(dataOffset, shardIndexBytes(shardPages), shardIndexBytes(shardPages) + dataBytes);
    const bytes = this.buffer.subarray(0, dataOffset + dataBytes);
    const pageBytes = pageSize * width;
    for (let p = 0; p < pages; p++) {
      const start = dataOffset + p * pageBytes;
      bytes.set(blake2b256(bytes.subarray(start, start + pageBytes)), SHARD_HEADER_BYTES + p * PAGE_HASH_BYTES);
    }
    encodeShardHeader({ dtype, shardIndex, pageSize, pageCount: pages }, bytes);
    return {
      bytes,
      pages,
      contentHash: toHex(blake2b256(bytes)),
      indexHash: toHex(blake2b256(bytes.subarray(0, dataOffset))),
      droppedTokens,
    };
  }
}

/** blake2b-256 of one page's ids (little-endian bytes), as the page index records it. */
export function pageHash(page: TokenArray): Uint8Array {
  return blake2b256(bytesOfTokens(page));
}
