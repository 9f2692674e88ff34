/**
 * Caps on every exchange a store has with its endpoint. They bound what one request can cost (time and
 * memory) whatever the server does; a caller's ReadBudget bounds what many requests cost together.
 */
export interface StoreLimits {
  /** Whole-response deadline of one request: connect, headers and body (ms). */
  readonly requestTimeoutMs: number;
  /** Bytes of one ListObjectsV2 answer, cut off while it arrives (the SDK buffers it to parse it). */
  readonly listPageBytes: number;
  /** Pages one `list` call follows before giving up (STORAGE_TOO_LARGE, limit `pages`). */
  readonly listPages: number;
  /** Keys one `list` call returns at most (STORAGE_TOO_LARGE, limit `keys`). */
  readonly listKeys: number;
  /** Bytes of any other answer: HEAD, PUT, DELETE, error documents. */
  readonly responseBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Your own bucket: generous, because you wrote what is in it, yet still finite (a list of a bucket that
 * grew without retention ends with an error instead of exhausting memory).
 */
export const ownBucketLimits: StoreLimits = Object.freeze({
  requestTimeoutMs: 30_000,
  listPageBytes: 16 * MiB,
  listPages: 2_000,
  listKeys: 2_000_000,
  responseBytes: 1 * MiB,
});

/**
 * Someone else's endpoint (a committed bucket pointer): a page of 1000 keys is ~300 KB of XML, a
 * neuron's bucket holds a few windows of objects, and nothing legitimate needs more than a few pages.
 */
export const peerBucketLimits: StoreLimits = Object.freeze({
  requestTimeoutMs: 10_000,
  listPageBytes: 1 * MiB,
  listPages: 8,
  listKeys: 5_000,
  responseBytes: 64 * 1024,
});
