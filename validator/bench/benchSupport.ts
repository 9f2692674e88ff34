/** Shared bench setup: real Redis + S3 on loopback (deploy's local services), a bucket, a run, updates. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { createErrorFeedback, encodeGradient, sparseLoCoStep } from '@crucible/codec';
import { createPrng, paramTable, type GptParams } from '@crucible/model';
import type { RunConfig } from '@crucible/protocol';
import { startLocalServices } from '@crucible/deploy';
import type { StorageOptions } from '../src/config.js';

export async function benchServices() {
  await cryptoReady();
  const dir = mkdtempSync(join(tmpdir(), 'crucible-validator-bench-'));
  const services = await startLocalServices({ dir, persistRedis: false });
  const storage = (bucket: string): StorageOptions => ({
    endpoint: services.s3.endpoint,
    region: services.s3.region,
    publicEndpoint: '',
    bucket,
    forcePathStyle: true,
    createBucket: true,
    write: { accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey },
    read: { accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey },
  });
  return {
    redisUrl: services.redis.url,
    storage,
    close: async () => {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A realistic-size update: a noise pseudo-gradient through SparseLoCo (content doesn't change the cost). */
export function noiseUpdate(run: RunConfig, window: number, baseHash: string, signer: Keypair, seed: string): Uint8Array {
  const prng = createPrng(seed);
  const deltas = new Map<string, Float32Array>();
  for (const s of paramTable(run.model)) deltas.set(s.name, prng.fillNormal(new Float32Array(s.shape.reduce((a, b) => a * b, 1)), 1e-3));
  const tensors = sparseLoCoStep(createErrorFeedback(paramTable(run.model)), deltas, run.codec);
  return encodeGradient({ window, baseCheckpoint: baseHash, config: run.codec, tensors, signer });
}

export function minerKeys(n: number): Keypair[] {
  return Array.from({ length: n }, (_, i) => keypairFromUri(`//BenchMiner${i}`));
}

export type { GptParams };
