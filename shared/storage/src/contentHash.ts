import { blake2b256, CrucibleError, toHex } from '@crucible/core';
import { CONTENT_HASH_METADATA } from './objectStore.js';

export function contentHash(body: Uint8Array): string {
  return toHex(blake2b256(body));
}

/** Throws STORAGE when the object's recorded hash does not match its bytes (a corrupted transfer). */
export function checkContentHash(key: string, body: Uint8Array, metadata: Readonly<Record<string, string>>): void {
  const expected = metadata[CONTENT_HASH_METADATA];
  if (expected === undefined) return;
  const actual = contentHash(body);
  if (actual !== expected) {
    throw new CrucibleError('STORAGE', `object ${key} does not match its content hash`, {
      details: { key, expected, actual, size: body.length },
    });
  }
}
