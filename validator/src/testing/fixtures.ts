/** Shared test fixtures: a tiny run on a small corpus page size, S3 buckets on the test server. */
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { loadCorpus, type Corpus } from '@crucible/model';
import { runConfigFor, type RunConfig } from '@crucible/protocol';
import type { StorageOptions } from '../config.js';

export function tinyRun(netuid: number, overrides: { blocksPerWindow?: number; trainPages: number }): RunConfig {
  return runConfigFor({
    netuid,
    trainPages: overrides.trainPages,
    model: { nLayer: 1, nEmbd: 32, nHead: 2, blockSize: 32 },
    initSeed: 3,
    overrides: {
      corpus: { pageSize: 256 },
      window: { blocksPerWindow: overrides.blocksPerWindow ?? 8, pagesPerMiner: 1 },
      inner: { steps: 10, learningRate: 5e-3, weightDecay: 0.0 },
      codec: { tileSize: 16, chunkSize: 256, topK: 32, bits: 4 },
      evaluation: { sequences: 16, copyThreshold: 0.9 },
      outer: { learningRate: 0.4, topG: 3 },
    },
  });
}

export async function tinyCorpus(): Promise<Corpus> {
  return loadCorpus('sotu', { pageSize: 256, valEvery: 20 });
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
