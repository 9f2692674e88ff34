import { z } from 'zod';
import { chainSchema, loggingSchema, metricsSchema, walletSchema } from '@crucible/core';
import { executionProviderSchema } from '@crucible/model';
import { bucketFlagsSchema } from '@crucible/storage';

const trainSchema = z.strictObject({
  executionProvider: executionProviderSchema
    .default('cpu')
    .describe('where the inner steps run: cpu, cuda (NVIDIA GPU; install the provider with `npm run gpu:install-cuda`) or webgpu'),
  threads: z.number().int().min(1).default(2).describe('onnxruntime intra-op threads (CPU kernels)'),
  maxSteps: z.number().int().min(0).default(0).describe('cap on inner steps per window (0: the run configuration\'s inner.steps)'),
  resetOptimizer: z.boolean().default(false).describe('start every window with fresh AdamW moments instead of carrying them over'),
});

const dataSchema = z.strictObject({
  cacheMb: z.number().int().min(1).default(2048).describe('disk bound of the dataset page cache under --state-dir/datasets, in MiB (a run on a published dataset only)'),
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
  /** Where this miner's updates go; the read credentials are published on chain for validators. */
  storage: bucketFlagsSchema({ bucket: 'crucible-miner' }),
  train: trainSchema.default(trainSchema.parse({})),
  data: dataSchema.default(dataSchema.parse({})),
  timing: timingSchema.default(timingSchema.parse({})),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type MinerConfig = z.output<typeof minerConfigSchema>;
export type MinerConfigInput = z.input<typeof minerConfigSchema>;
