import { blake2b256, CrucibleError, toHex } from '@crucible/core';
import { CONTENT_HASH_METADATA } from './objectStore.js';

export function contentHash(body: Uint8Array): string {
  return toHex(blake2b256(body));
}

/**
 * The body's hash, after checking it against the hash recorded in the object's metadata (a corrupted
 * transfer) and the one the caller pinned (an object swapped since it was first seen): STORAGE_INTEGRITY
 * when either differs.
 */
export function checkContentHash(key: string, body: Uint8Array, metadata: Readonly<Record<string, string>>, pinned?: string): string {
  const actual = contentHash(body);
  for (const [source, expected] of [['metadata', metadata[CONTENT_HASH_METADATA]], ['pinned', pinned]] as const) {
    if (expected !== undefined && actual !== expected.toLowerCase()) {
      throw new CrucibleError('STORAGE_INTEGRITY', `object ${key} does not match its ${source === 'pinned' ? 'pinned' : 'recorded'} content hash`, {
        details: { key, source, expected, actual, size: body.length },
      });
    }
  }
  return actual;
}
