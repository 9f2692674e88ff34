/** Shared test fixtures: a tiny run on a small corpus page size, S3 buckets on the test server. */
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { prepareDataset, type PinnedDataset } from '@crucible/data';
import { byteTokenizer, loadCorpus, type Corpus } from '@crucible/model';
import { runConfigFor, type RunConfig } from '@crucible/protocol';
import { createS3Store, ownBucket } from '@crucible/storage';
import type { StorageOptions } from '../config.js';

/** A tiny run on the shipped corpus (trainPages) or on a published dataset of it (dataset). */
export function tinyRun(netuid: number, overrides: { blocksPerWindow?: number; trainPages?: number; dataset?: PinnedDataset }): RunConfig {
  return runConfigFor({
    netuid,
    ...(overrides.dataset ? { dataset: overrides.dataset } : { trainPages: overrides.trainPages! }),
    model: { nLayer: 1, nEmbd: 32, nHead: 2, blockSize: 32 },
    initSeed: 3,
    overrides: {
      corpus: { pageSize: 256 },
      window: { blocksPerWindow: overrides.blocksPerWindow ?? 8, pagesPerMiner: 1 },
      inner: { steps: 10, learningRate: 5e-3, weightDecay: 0.0 },
      codec: { tileSize: 16, chunkSize: 256, topK: 32, bits: 4 },
      // This 1-layer, 32-wide model keeps 1 value in 8 of each chunk and its early updates all learn
      // the same byte frequencies: honest miners' updates measured up to 0.41 overlap and 0.50 cosine
      // (3 miners, 28 windows), at the default same-work threshold (0.4; calibrated on the tiny preset,
      // where honest pairs stay below 0.25). The cheaters these tests use are exact copies (overlap 1).
      evaluation: { sequences: 16, copyThreshold: 0.9, overlapThreshold: 0.6, controlExclusion: 0.6 },
      outer: { learningRate: 0.4, topG: 3 },
    },
  });
}

export async function tinyCorpus(): Promise<Corpus> {
  return loadCorpus('sotu', { pageSize: 256, valEvery: 20 });
}

/**
 * tinyCorpus's text published as a byte-level dataset in a bucket of its own on the test S3 server
 * (the same pages: the same batches), pinned as a run configuration pins it.
 */
export async function tinyDataset(storage: StorageOptions, name = 'sotu-tiny'): Promise<PinnedDataset> {
  const own = ownBucket(storage);
  const store = createS3Store(own.config, { access: 'write' });
  try {
    await store.ensureBucket();
    const prepared = await prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name, pageSize: 256, valEvery: 20, shardPages: 2048 });
    const location = { endpoint: storage.endpoint, region: storage.region, bucket: storage.bucket, forcePathStyle: true, read: { ...storage.read } };
    return { ref: { location, name, manifestHash: prepared.manifestHash }, manifest: prepared.manifest };
  } finally {
    store.close();
  }
}

export interface TestServices {
  redisUrl: string;
  s3Endpoint: string;
  s3Region: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
}

export function services(): TestServices {
  return inject('services' as never) as TestServices;
}

export function testStorage(prefix: string): StorageOptions {
  const s = services();
  return {
    endpoint: s.s3Endpoint,
    region: s.s3Region,
    publicEndpoint: '',
    bucket: `${prefix}-${randomBytes(4).toString('hex')}`,
    forcePathStyle: true,
    createBucket: true,
    // The test server is on loopback.
    allowPrivateEndpoints: true,
    allowAddresses: [],
    write: { accessKeyId: s.s3AccessKeyId, secretAccessKey: s.s3SecretAccessKey },
    read: { accessKeyId: s.s3AccessKeyId, secretAccessKey: s.s3SecretAccessKey },
  };
}
