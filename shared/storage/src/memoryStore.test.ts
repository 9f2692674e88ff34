import { describe, expect, it } from 'vitest';
import { checkContentHash, contentHash } from './contentHash.js';
import { gradientKey } from './keys.js';
import { createMemoryStore } from './memoryStore.js';
import { CONTENT_HASH_METADATA } from './objectStore.js';
import { deleteWindowsOlderThan } from './retention.js';

describe('memory store', () => {
  it('stores bytes with their content hash and enforces the size cap', async () => {
    const store = createMemoryStore();
    const body = Uint8Array.of(1, 2, 3);
    const put = await store.put('a/b', body, { metadata: { window: '3' } });
    expect(put.contentHash).toBe(contentHash(body));
    const got = await store.get('a/b', { maxBytes: 3 });
    expect([...got.body]).toEqual([1, 2, 3]);
    expect(got.metadata).toEqual({ window: '3', [CONTENT_HASH_METADATA]: put.contentHash });
    await expect(store.get('a/b', { maxBytes: 2 })).rejects.toMatchObject({ code: 'STORAGE_TOO_LARGE' });
    await expect(store.get('a/c', { maxBytes: 2 })).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
    expect(await store.head('a/c')).toBeUndefined();
  });

  it('reads exact byte ranges with the S3 adapter\'s errors', async () => {
    const store = createMemoryStore();
    await store.put('r', Uint8Array.from({ length: 10 }, (_, i) => i));
    expect([...(await store.getRange('r', { offset: 3, length: 4 }))]).toEqual([3, 4, 5, 6]);
    await expect(store.getRange('r', { offset: 8, length: 4 })).rejects.toMatchObject({ code: 'STORAGE', details: { received: 2 } });
    await expect(store.getRange('r', { offset: 10, length: 1 })).rejects.toMatchObject({ code: 'STORAGE', details: { status: 416 } });
    await expect(store.getRange('nope', { offset: 0, length: 1 })).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
    await expect(store.getRange('r', { offset: 0, length: 0 })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('deletes only the windows older than the kept ones', async () => {
    const store = createMemoryStore();
    for (const w of [1, 2, 3, 10]) await store.put(gradientKey(w, 'hk'), Uint8Array.of(w));
    await store.put('checkpoints/1/manifest.crm', Uint8Array.of(0));
    await store.put('notes.txt', Uint8Array.of(0));
    const deleted = await deleteWindowsOlderThan(store, 10, 8);
    expect(deleted).toEqual(['gradients/1/hk.crs']);
    expect((await store.list('')).map((o) => o.key)).toEqual([
      'checkpoints/1/manifest.crm',
      'gradients/10/hk.crs',
      'gradients/2/hk.crs',
      'gradients/3/hk.crs',
      'notes.txt',
    ]);
    await deleteWindowsOlderThan(store, 10, 0, { checkpoints: true });
    expect((await store.list('')).map((o) => o.key)).toEqual(['gradients/10/hk.crs', 'notes.txt']);
  });
});

describe('checkContentHash', () => {
  it('refuses bytes that do not match the recorded hash', () => {
    const body = Uint8Array.of(1, 2, 3);
    expect(() => checkContentHash('k', body, { [CONTENT_HASH_METADATA]: contentHash(body) })).not.toThrow();
    expect(() => checkContentHash('k', Uint8Array.of(1, 2, 4), { [CONTENT_HASH_METADATA]: contentHash(body) })).toThrow(
      expect.objectContaining({ code: 'STORAGE_INTEGRITY' }),
    );
  });
});
