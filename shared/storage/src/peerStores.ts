import { CrucibleError } from '@crucible/core';
import type { BucketPointer } from './bucketPointer.js';
import { forbidden, publicEndpointsOnly, type EndpointPolicy } from './endpointPolicy.js';
import type { ObjectStore, ReadableStore } from './objectStore.js';
import type { ReadBudget } from './readBudget.js';
import { createS3Store } from './s3Store.js';
import { peerBucketLimits, type StoreLimits } from './storeLimits.js';

const MAX_CLIENTS = 512;

export interface PeerStoresOptions {
  /** Which endpoints may be read (default: publicEndpointsOnly, https on public addresses). */
  readonly policy?: EndpointPolicy;
  /** Caps on every exchange (default: peerBucketLimits). */
  readonly limits?: Partial<StoreLimits>;
}

/**
 * A store for someone else's bucket: reads only (put and delete are STORAGE_FORBIDDEN, reason
 * `read-only`), every connection under the endpoint policy, every exchange under the peer limits, and,
 * when built with a budget, every read charged to it.
 */
export type PeerStore = ObjectStore;

function readOnly(store: ReadableStore, budget: ReadBudget | undefined): PeerStore {
  const refuse = async (): Promise<never> => {
    throw forbidden('read-only', "a peer's bucket is read-only");
  };
  if (budget === undefined) return { get: store.get.bind(store), getRange: store.getRange.bind(store), head: store.head.bind(store), list: store.list.bind(store), close: () => {}, put: refuse, delete: refuse };
  return {
    get: (key, o) => store.get(key, { budget, ...o }),
    getRange: (key, o) => store.getRange(key, { budget, ...o }),
    head: (key, o) => store.head(key, { budget, ...o }),
    list: (prefix, o) => store.list(prefix, { budget, ...o }),
    close: () => {},
    put: refuse,
    delete: refuse,
  };
}

/** Every read answers the policy's refusal: a pointer to a forbidden endpoint is its owner's verdict, per read. */
function refusedStore(refusal: CrucibleError): ReadableStore {
  const fail = async (): Promise<never> => {
    throw new CrucibleError(refusal.code, refusal.message, { details: refusal.details });
  };
  return { get: fail, getRange: fail, head: fail, list: fail, close: () => {} };
}

/**
 * Read-only stores for other neurons' buckets, one client per distinct pointer, kept for the life of the
 * process (a client holds a connection pool; building one per request would open a socket each time).
 * `get(pointer, budget)` hands out a view charged to that budget (one miner's share of one window);
 * without a budget each request is still bounded by the peer limits. Public-URL pointers are not
 * readable through the S3 API: `get` answers undefined for them.
 */
export class PeerStores {
  private readonly stores = new Map<string, ReadableStore>();
  private readonly policy: EndpointPolicy;
  private readonly limits: StoreLimits;

  constructor(options: PeerStoresOptions = {}) {
    this.policy = options.policy ?? publicEndpointsOnly;
    this.limits = { ...peerBucketLimits, ...options.limits };
  }

  get(pointer: BucketPointer, budget?: ReadBudget): PeerStore | undefined {
    if (pointer.kind !== 's3') return undefined;
    const key = JSON.stringify([pointer.endpoint, pointer.region, pointer.bucket, pointer.accessKeyId, pointer.secretAccessKey]);
    let store = this.stores.get(key);
    if (!store) {
      try {
        store = createS3Store(
          { endpoint: pointer.endpoint, region: pointer.region, bucket: pointer.bucket, read: { accessKeyId: pointer.accessKeyId, secretAccessKey: pointer.secretAccessKey }, forcePathStyle: true },
          { access: 'read', policy: this.policy, limits: this.limits },
        );
      } catch (error) {
        if (!(error instanceof CrucibleError)) throw error;
        store = refusedStore(error);
      }
      // A pointer per neuron, but anyone may commit a new one every window: keep the newest few hundred.
      if (this.stores.size >= MAX_CLIENTS) {
        const [oldest, client] = this.stores.entries().next().value as [string, ReadableStore];
        client.close();
        this.stores.delete(oldest);
      }
      this.stores.set(key, store);
    }
    return readOnly(store, budget);
  }

  close(): void {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
  }
}
