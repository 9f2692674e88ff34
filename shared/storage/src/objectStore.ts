import type { ReadBudget } from './readBudget.js';

/**
 * The storage every Crucible package talks to. Adapters: S3 (`createS3Store`, any S3-compatible
 * service; `PeerStores` for other neurons' buckets) and memory (`createMemoryStore`, for other
 * packages' unit tests).
 */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: Date;
}

export interface PutOptions {
  readonly contentType?: string;
  /** Extra user metadata (lowercase keys); the content hash is added under CONTENT_HASH_METADATA. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Give up retrying after this long (ms from the first attempt). */
  readonly deadlineMs?: number;
}

/** What every read may carry: whose budget it spends, and a tighter deadline for this one request. */
export interface ReadOptions {
  /** Charged for the request's time and bytes; STORAGE_BUDGET once spent. */
  readonly budget?: ReadBudget;
  /** Abort (TIMEOUT) if the whole response (headers and body) takes longer (ms). */
  readonly timeoutMs?: number;
}

export interface RangeOptions {
  /** First byte (0-based). */
  readonly offset: number;
  /** Bytes to read, exactly: a shorter or longer answer is refused. At least 1. */
  readonly length: number;
  /** Abort (TIMEOUT) if the read takes longer. */
  readonly timeoutMs?: number;
  /** Charged for the request's time and bytes. */
  readonly budget?: ReadBudget;
}

export interface GetOptions extends ReadOptions {
  /** Refuse (STORAGE_TOO_LARGE) anything larger, before (declared length) or while downloading. */
  readonly maxBytes: number;
  /**
   * The blake2b-256 (0x-hex) the bytes must have, e.g. the hash seen when the object was first found:
   * anything else is STORAGE_INTEGRITY, so an endpoint can't swap the object between reads.
   */
  readonly expectedContentHash?: string;
}

export interface ListOptions extends ReadOptions {
  /** At most this many keys (STORAGE_TOO_LARGE, limit `keys`, beyond); capped by the store's own limit. */
  readonly maxKeys?: number;
  /** At most this many pages (STORAGE_TOO_LARGE, limit `pages`, beyond); capped by the store's own limit. */
  readonly maxPages?: number;
}

export interface StoredObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly metadata: Readonly<Record<string, string>>;
  /** 0x-hex blake2b-256 of the body, as received. */
  readonly contentHash: string;
}

export interface PutResult {
  readonly key: string;
  readonly size: number;
  /** 0x-hex blake2b-256 of the body, also stored in the object's metadata. */
  readonly contentHash: string;
}

export type HeadResult = ObjectInfo & { readonly metadata: Readonly<Record<string, string>> };

/** The reading half of a store: all a peer's bucket offers. */
export interface ReadableStore {
  /** Downloads and checks the content hash recorded in its metadata and the pinned one (STORAGE_INTEGRITY). */
  get(key: string, options: GetOptions): Promise<StoredObject>;
  /**
   * Exactly bytes [offset, offset + length) of an object (an HTTP range request). Nothing is hashed:
   * a range cannot be checked against the whole object's hash, so the caller verifies what it reads.
   * STORAGE_NOT_FOUND when there is no such object; STORAGE (status 416) when the range starts past
   * its end, STORAGE when fewer bytes arrive, STORAGE_TOO_LARGE when more do.
   */
  getRange(key: string, options: RangeOptions): Promise<Uint8Array>;
  /** Size and metadata, or undefined when there is no such object. */
  head(key: string, options?: ReadOptions): Promise<HeadResult | undefined>;
  /** Every object whose key starts with `prefix`, all pages (within the limits), in key order. */
  list(prefix: string, options?: ListOptions): Promise<ObjectInfo[]>;
  close(): void;
}

export interface ObjectStore extends ReadableStore {
  /** Uploads with the body's blake2b-256 in its metadata, retrying transient failures with backoff. */
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<PutResult>;
  /** Deletes the keys; missing keys are not an error. */
  delete(keys: readonly string[]): Promise<void>;
}

export const CONTENT_HASH_METADATA = 'crucible-blake2b256';
