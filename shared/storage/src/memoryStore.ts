import { CrucibleError } from '@crucible/core';
import { checkContentHash, contentHash } from './contentHash.js';
import { checkRange } from './range.js';
import { CONTENT_HASH_METADATA } from './objectStore.js';
import type { ObjectInfo, ObjectStore, PutResult, StoredObject } from './objectStore.js';

/** An ObjectStore in process memory with the S3 adapter's semantics, for other packages' unit tests. */
export function createMemoryStore(): ObjectStore {
  const objects = new Map<string, { body: Uint8Array; metadata: Record<string, string>; lastModified: Date }>();
  return {
    async put(key, body, options = {}): Promise<PutResult> {
      const hash = contentHash(body);
      objects.set(key, {
        body: body.slice(),
        metadata: { ...options.metadata, [CONTENT_HASH_METADATA]: hash },
        lastModified: new Date(),
      });
      return { key, size: body.length, contentHash: hash };
    },
    async get(key, options): Promise<StoredObject> {
      const o = objects.get(key);
      if (o === undefined) throw new CrucibleError('STORAGE_NOT_FOUND', `no object ${key}`, { details: { key, status: 404 } });
      if (o.body.length > options.maxBytes) {
        throw new CrucibleError('STORAGE_TOO_LARGE', `object ${key} is ${o.body.length} bytes, over the ${options.maxBytes}-byte cap`, {
          details: { key, size: o.body.length, maxBytes: options.maxBytes },
        });
      }
      const hash = checkContentHash(key, o.body, o.metadata, options.expectedContentHash);
      return { key, body: o.body.slice(), metadata: { ...o.metadata }, contentHash: hash };
    },
    async getRange(key, { offset, length }) {
      checkRange(key, offset, length);
      const o = objects.get(key);
      if (o === undefined) throw new CrucibleError('STORAGE_NOT_FOUND', `no object ${key}`, { details: { key, status: 404 } });
      if (offset >= o.body.length) {
        throw new CrucibleError('STORAGE', `getRange ${key}: range starts past the object's end`, { details: { key, status: 416, offset, size: o.body.length } });
      }
      const body = o.body.slice(offset, offset + length);
      if (body.length !== length) {
        throw new CrucibleError('STORAGE', `getRange ${key}: got ${body.length} of ${length} bytes`, { details: { key, offset, length, received: body.length } });
      }
      return body;
    },
    async head(key) {
      const o = objects.get(key);
      return o === undefined ? undefined : { key, size: o.body.length, lastModified: o.lastModified, metadata: { ...o.metadata } };
    },
    async list(prefix, options = {}): Promise<ObjectInfo[]> {
      const listed = [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, o]) => ({ key, size: o.body.length, lastModified: o.lastModified }));
      if (options.maxKeys !== undefined && listed.length > options.maxKeys) {
        throw new CrucibleError('STORAGE_TOO_LARGE', `list ${prefix}: over the keys limit (${options.maxKeys})`, {
          details: { op: 'list', key: prefix, limit: 'keys', value: listed.length, max: options.maxKeys },
        });
      }
      return listed;
    },
    async delete(keys) {
      for (const key of keys) objects.delete(key);
    },
    close() {},
  };
}
