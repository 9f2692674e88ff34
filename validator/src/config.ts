import { z } from 'zod';
import { chainSchema, loggingSchema, metricsSchema, walletSchema } from '@crucible/core';
import { credentialFlagsSchema } from '@crucible/storage';

/**
 * The validator's bucket: checkpoints it publishes when it aggregates go here, and the read
 * credentials are committed on chain so followers can fetch them. The same flags as the miner's
 * (`--storage.write.access-key-id`, `--storage.read.secret-access-key` ...), mapped onto
 * @crucible/storage's BucketConfig by `bucketConfigOf`.
 */
export const storageSchema = z.strictObject({
  endpoint: z.string().url().default('http://127.0.0.1:9100').describe('S3-compatible endpoint of this validator\'s bucket'),
  region: z.string().default('us-east-1').describe('S3 region'),
  bucket: z.string().min(3).default('crucible-validator').describe('bucket holding this validator\'s checkpoints'),
  forcePathStyle: z.boolean().default(true).describe('path-style URLs (local servers, MinIO)'),
  write: credentialFlagsSchema('write credentials, kept local'),
  read: credentialFlagsSchema('read-only credentials, published on chain (empty: the write credentials)'),
});

export const evaluationOptionsSchema = z.strictObject({
  lateGraceMs: z.number().int().min(0).default(2000).describe('S3 and chain clocks differ: an upload is late only this long after the deadline block\'s timestamp'),
  historyWindows: z.number().int().min(0).default(3).describe('earlier windows whose uploads copies and replays are checked against'),
  onnxThreads: z.number().int().min(1).default(1).describe('onnxruntime intra-op threads per evaluation worker (replay must use the same)'),
  jobAttempts: z.number().int().min(1).default(3).describe('tries per evaluation job (a crashed worker\'s job is retried)'),
  stalledIntervalMs: z.number().int().min(500).default(5000).describe('how often workers look for jobs whose worker died'),
  lockDurationMs: z.number().int().min(1000).default(15000).describe('job lock; a worker that stops renewing it has died'),
});

export const weightsOptionsSchema = z.strictObject({
  everyWindows: z.number().int().min(1).default(2).describe('set weights every K windows (within the chain rate limit)'),
  topN: z.number().int().min(1).default(15).describe('miners that get weight: the top N by final score'),
  power: z.number().positive().default(2).describe('weight ∝ final score ^ power'),
});

export const retentionSchema = z.strictObject({
  keepCheckpoints: z.number().int().min(1).default(5).describe('checkpoints whose parameters this validator keeps in its bucket when it aggregates (signed manifests are always kept)'),
  gradientWindows: z.number().int().min(1).default(6).describe('gradient objects older than this many windows are deleted (own bucket)'),
});

/** The validator's whole configuration: every default in one place, printed by `crucible-validator --help`. */
export const validatorConfigSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet to validate'),
  chain: chainSchema.default(chainSchema.parse({})),
  stateDir: z.string().default('~/.crucible/validator').describe('folder for ratings and checkpoints (survives restarts)'),
  storage: storageSchema.default(storageSchema.parse({})),
  redis: z
    .strictObject({
      url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// URL').default('redis://127.0.0.1:6390').describe('Redis for the BullMQ evaluation queue'),
      prefix: z.string().min(1).default('bull').describe('BullMQ key prefix'),
    })
    .default({ url: 'redis://127.0.0.1:6390', prefix: 'bull' }),
  workers: z.number().int().min(0).default(1).describe('in-process evaluation workers (0: only external `crucible-validator worker` processes)'),
  evaluation: evaluationOptionsSchema.default(evaluationOptionsSchema.parse({})),
  weights: weightsOptionsSchema.default(weightsOptionsSchema.parse({})),
  retention: retentionSchema.default(retentionSchema.parse({})),
  aggregate: z.boolean().default(true).describe('publish the global checkpoint when this validator is the top-staked one'),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type ValidatorConfig = z.output<typeof validatorConfigSchema>;
export type ValidatorConfigInput = z.input<typeof validatorConfigSchema>;
export type StorageOptions = z.output<typeof storageSchema>;

/** `replay --window W`: the validator config plus the window to recompute. */
export const replayConfigSchema = validatorConfigSchema.extend({
  window: z.number().int().min(0).describe('window whose uploads to re-score (evaluated during window + 1)'),
  validatorHotkey: z.string().default('').describe('ss58 of the validator whose scores to reproduce (default: the wallet hotkey); needs no secret'),
});

/** `genesis`: the subnet owner creates, publishes and commits the first checkpoint. */
export const genesisConfigSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet the run belongs to'),
  chain: chainSchema.default(chainSchema.parse({})),
  storage: storageSchema.default(storageSchema.parse({})),
  preset: z.enum(['tiny', 'small', 'base']).default('tiny').describe('model preset'),
  initSeed: z.number().int().min(0).default(0).describe('parameter initialisation seed'),
  corpus: z.string().default('sotu').describe('corpus source every party loads (`sotu` or a path)'),
  pageSize: z.number().int().min(2).default(4096).describe('tokens per corpus page'),
  valEvery: z.number().int().min(2).default(20).describe('every k-th page is held out for validation'),
  blocksPerWindow: z.number().int().min(2).default(20).describe('blocks per window'),
  pagesPerMiner: z.number().int().min(1).default(2).describe('training pages assigned to each miner per window'),
  innerSteps: z.number().int().min(1).default(15).describe('inner AdamW steps miners run per window'),
  batchSize: z.number().int().min(1).default(8).describe('sequences per inner step'),
  innerLr: z.number().positive().default(3e-3).describe('inner learning rate'),
  outerLr: z.number().positive().default(0.7).describe('outer SGD learning rate'),
  topG: z.number().int().min(1).default(5).describe('miners aggregated per window'),
  commit: z.boolean().default(true).describe('commit the bucket pointer on chain'),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type GenesisConfig = z.output<typeof genesisConfigSchema>;
