import { z } from 'zod';
import { chainSchema, loggingSchema, metricsSchema, walletSchema } from '@crucible/core';
import { credentialFlagsSchema } from '@crucible/storage';


/**
 * Where this miner's updates go. Mirrors @crucible/storage's bucket config (endpoint, region, bucket,
 * read/write credentials, forcePathStyle); `read` is published on chain so validators can download.
 */
const storageSchema = z.strictObject({
  endpoint: z.string().url().default('http://127.0.0.1:9100').describe('S3-compatible endpoint for uploads (R2: https://<account>.r2.cloudflarestorage.com)'),
  publicEndpoint: z.string().default('').describe('endpoint published on chain for readers (empty: same as endpoint)'),
  region: z.string().min(1).default('auto').describe('S3 region (R2: auto; the local S3 server accepts any)'),
  bucket: z.string().min(3).max(63).default('crucible-miner').describe("bucket holding this miner's updates"),
  forcePathStyle: z.boolean().default(true).describe('path-style URLs (local servers, MinIO; harmless on R2)'),
  createBucket: z.boolean().default(true).describe('create the bucket at start-up when it does not exist'),
  write: credentialFlagsSchema('write credentials, kept local (empty: the read credentials)'),
  read: credentialFlagsSchema('read-only credentials, published on chain'),
});

const trainSchema = z.strictObject({
  threads: z.number().int().min(1).default(2).describe('onnxruntime intra-op threads'),
  maxSteps: z.number().int().min(0).default(0).describe('cap on inner steps per window (0: the run configuration\'s inner.steps)'),
  resetOptimizer: z.boolean().default(false).describe('start every window with fresh AdamW moments instead of carrying them over'),
});

const timingSchema = z.strictObject({
  uploadMarginMs: z.number().int().min(0).default(1000).describe('finish uploading this long before the estimated first block of the next window'),
  blockTimeMs: z.number().int().min(0).default(0).describe('assumed block interval until measured (0: read it from chain timestamps)'),
  minTrainMs: z.number().int().min(0).default(0).describe('skip a window when less than this is left for training (0: one step\'s worth)'),
});

/** The miner's whole configuration: every default in one place, printed by `crucible-miner --help`. */
export const minerConfigSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet to mine on'),
  chain: chainSchema.default(chainSchema.parse({})),
  register: z.boolean().default(false).describe('burn-register the hotkey if it is not registered yet (pays from the coldkey)'),
  stateDir: z.string().default('~/.crucible/miner').describe('folder for error feedback, optimizer state, checkpoints (survives restarts)'),
  storage: storageSchema.default(storageSchema.parse({})),
  train: trainSchema.default(trainSchema.parse({})),
  timing: timingSchema.default(timingSchema.parse({})),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type MinerConfig = z.output<typeof minerConfigSchema>;
export type MinerConfigInput = z.input<typeof minerConfigSchema>;
