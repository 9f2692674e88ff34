/**
 * The storage every Crucible package talks to. Adapters: S3 (`createS3Store`, any S3-compatible
 * service) and memory (`createMemoryStore`, for other packages' unit tests).
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

export interface GetOptions {
  /** Refuse (STORAGE_TOO_LARGE) anything larger, before or while downloading. */
  readonly maxBytes: number;
  /** Abort (TIMEOUT) if the whole download takes longer. */
  readonly timeoutMs?: number;
}

export interface RangeOptions {
  /** First byte (0-based). */
  readonly offset: number;
  /** Bytes to read, exactly: a shorter or longer answer is refused. At least 1. */
  readonly length: number;
  /** Abort (TIMEOUT) if the read takes longer. */
  readonly timeoutMs?: number;
}

export interface StoredObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface PutResult {
  readonly key: string;
  readonly size: number;
  /** 0x-hex blake2b-256 of the body, also stored in the object's metadata. */
  readonly contentHash: string;
}

export interface ObjectStore {
  /** Uploads with the body's blake2b-256 in its metadata, retrying transient failures with backoff. */
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<PutResult>;
  /** Downloads and, when the object carries a content hash, checks it (STORAGE on mismatch). */
  get(key: string, options: GetOptions): Promise<StoredObject>;
  /**
   * Exactly bytes [offset, offset + length) of an object (an HTTP range request). Nothing is hashed:
   * a range cannot be checked against the whole object's hash, so the caller verifies what it reads.
   * STORAGE_NOT_FOUND when there is no such object; STORAGE (status 416) when the range starts past
   * its end, STORAGE when fewer bytes arrive, STORAGE_TOO_LARGE when more do.
   */
  getRange(key: string, options: RangeOptions): Promise<Uint8Array>;
  /** Size and metadata, or undefined when there is no such object. */
  head(key: string): Promise<(ObjectInfo & { readonly metadata: Readonly<Record<string, string>> }) | undefined>;
  /** Every object whose key starts with `prefix`, all pages, in key order. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes the keys; missing keys are not an error. */
  delete(keys: readonly string[]): Promise<void>;
  close(): void;
}

export const CONTENT_HASH_METADATA = 'crucible-blake2b256';
