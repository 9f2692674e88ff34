import { z } from 'zod';
import { chainSchema, loggingSchema, metricsSchema, walletSchema } from '@crucible/core';

/** The miner's whole configuration: every default in one place, printed by `crucible-miner --help`. */
export const minerConfigSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet to mine on'),
  chain: chainSchema.default(chainSchema.parse({})),
  register: z.boolean().default(false).describe('burn-register the hotkey if it is not registered yet (pays from the coldkey)'),
  stateDir: z.string().default('~/.crucible/miner').describe('folder for error feedback, optimizer state, checkpoints (survives restarts)'),
  storage: z
    .strictObject({
      endpoint: z.string().url().default('http://127.0.0.1:9100').describe('S3-compatible endpoint for uploads'),
      region: z.string().default('us-east-1').describe('S3 region'),
      bucket: z.string().min(3).default('crucible').describe('bucket holding this miner\'s updates'),
      forcePathStyle: z.boolean().default(true).describe('path-style URLs (local servers, MinIO)'),
      writeAccessKeyId: z.string().default('').meta({ secret: true }).describe('write credentials: access key id'),
      writeSecretAccessKey: z.string().default('').meta({ secret: true }).describe('write credentials: secret key'),
      readAccessKeyId: z.string().default('').describe('read-only credentials published on chain: access key id'),
      readSecretAccessKey: z.string().default('').meta({ secret: true }).describe('read-only credentials published on chain: secret key'),
    })
    .default({ endpoint: 'http://127.0.0.1:9100', region: 'us-east-1', bucket: 'crucible', forcePathStyle: true, writeAccessKeyId: '', writeSecretAccessKey: '', readAccessKeyId: '', readSecretAccessKey: '' }),
  train: z
    .strictObject({
      innerSteps: z.number().int().min(1).default(15).describe('inner AdamW steps per window (H)'),
      batchSize: z.number().int().min(1).default(8).describe('sequences per inner step'),
      threads: z.number().int().min(1).default(2).describe('onnxruntime intra-op threads'),
    })
    .default({ innerSteps: 15, batchSize: 8, threads: 2 }),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type MinerConfig = z.output<typeof minerConfigSchema>;
