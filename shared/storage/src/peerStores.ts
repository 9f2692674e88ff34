import type { BucketPointer } from './bucketPointer.js';
import type { ObjectStore } from './objectStore.js';
import { createS3Store } from './s3Store.js';

/**
 * Read-only stores for other neurons' buckets, one per distinct pointer, kept for the life of the
 * process (a client holds a connection pool; building one per request would open a socket each time).
 * Public-URL pointers are not readable through the S3 API: `get` answers undefined for them.
 */
export class PeerStores {
  private readonly stores = new Map<string, ObjectStore>();

  /** `requestTimeoutMs` bounds every head/list/delete (get takes its own timeout). */
  constructor(private readonly options: { requestTimeoutMs?: number } = {}) {}

  get(pointer: BucketPointer): ObjectStore | undefined {
    if (pointer.kind !== 's3') return undefined;
    const key = JSON.stringify([pointer.endpoint, pointer.region, pointer.bucket, pointer.accessKeyId, pointer.secretAccessKey]);
    let store = this.stores.get(key);
    if (!store) {
      store = createS3Store(
        { endpoint: pointer.endpoint, region: pointer.region, bucket: pointer.bucket, read: { accessKeyId: pointer.accessKeyId, secretAccessKey: pointer.secretAccessKey }, forcePathStyle: true },
        { access: 'read', ...(this.options.requestTimeoutMs !== undefined ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}) },
      );
      this.stores.set(key, store);
    }
    return store;
  }

  close(): void {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
  }
}
