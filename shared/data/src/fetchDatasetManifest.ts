import { blake2b256, toHex } from '@crucible/core';
import { datasetManifestKey, type ObjectStore } from '@crucible/storage';
import { decodeManifest, type DatasetManifest } from './manifest.js';
import { retrying, type RetryingOptions } from './retrying.js';

export interface FetchManifestOptions extends Partial<RetryingOptions> {
  /** Refuse a manifest whose hash differs (DATA_CORRUPT). */
  readonly expectedHash?: string | undefined;
  /** Default 64 MiB. */
  readonly maxManifestBytes?: number;
  /** Per GET (ms). Default 30,000. */
  readonly timeoutMs?: number;
}

/** Downloads `datasets/<name>/manifest.json`, retrying as page reads do, and checks it (see decodeManifest). */
export async function fetchDatasetManifest(store: ObjectStore, name: string, options: FetchManifestOptions = {}): Promise<{ manifest: DatasetManifest; hash: `0x${string}` }> {
  const key = datasetManifestKey(name);
  const o = { deadlineMs: options.deadlineMs ?? 120_000, retryBaseMs: options.retryBaseMs ?? 200, ...(options.logger ? { logger: options.logger } : {}) };
  const body = await retrying(o, `dataset ${name}: manifest ${key}`, { dataset: name, key }, async () => {
    return (await store.get(key, { maxBytes: options.maxManifestBytes ?? 64 * 2 ** 20, timeoutMs: options.timeoutMs ?? 30_000 })).body;
  });
  return { manifest: decodeManifest(body, options.expectedHash), hash: toHex(blake2b256(body)) };
}
