import { z } from 'zod';
import { chainSchema, loggingSchema, metricsSchema, walletSchema } from '@crucible/core';
import { datasetFlagsSchema } from '@crucible/data';
import { presets, type PresetName } from '@crucible/model';
import { MIN_KEEP_CHECKPOINTS, runDefaults } from '@crucible/protocol';
import { bucketFlagsSchema, type BucketFlags } from '@crucible/storage';

export const evaluationOptionsSchema = z.strictObject({
  lateGraceMs: z.number().int().min(0).default(2000).describe('an upload first seen this long after this validator saw the deadline block is still on time (network and clock differences)'),
  pollIntervalMs: z.number().int().min(100).default(2000).describe('how often each miner\'s sealed update is looked for while its window is open'),
  requestTimeoutMs: z.number().int().min(100).default(5000).describe('longest one request to a miner\'s endpoint may take, body included'),
  minerBudgetMs: z.number().int().min(100).default(20000).describe('longest all requests to one miner\'s endpoint may take together in one window'),
  minerBudgetUpdates: z.number().min(1).default(4).describe('bytes one miner\'s endpoint may send in one window, in largest sealed updates (a server that changes its object on every poll is cut off there)'),
  fetchConcurrency: z.number().int().min(1).default(16).describe('miners\' endpoints fetched from at once'),
  keepCollections: z.number().int().min(1).default(20).describe('windows whose pinned uploads are kept in --state-dir (what replay re-scores)'),
  historyWindows: z.number().int().min(0).default(3).describe('earlier windows whose uploads copies and replays are checked against'),
  onnxThreads: z.number().int().min(1).default(1).describe('onnxruntime intra-op threads per evaluation worker (replay must use the same)'),
  jobAttempts: z.number().int().min(1).default(3).describe('tries per evaluation job (a crashed worker\'s job is retried)'),
  stalledIntervalMs: z.number().int().min(500).default(5000).describe('how often workers look for jobs whose worker died'),
  lockDurationMs: z.number().int().min(1000).default(15000).describe('job lock; a worker that stops renewing it has died'),
});

export const dataOptionsSchema = z.strictObject({
  cacheMb: z.number().int().min(1).default(1024).describe('disk bound of the dataset page cache of each evaluating process, in MiB (under --state-dir/datasets; a run on a published dataset only)'),
});

export const weightsOptionsSchema = z.strictObject({
  everyWindows: z.number().int().min(1).default(2).describe('set weights every K windows (within the chain rate limit)'),
  topN: z.number().int().min(1).default(15).describe('miners that get weight: the top N by final score'),
  power: z.number().positive().default(2).describe('weight ∝ final score ^ power'),
});

export const retentionSchema = z.strictObject({
  keepCheckpoints: z
    .number()
    .int()
    .min(MIN_KEEP_CHECKPOINTS)
    .default(MIN_KEEP_CHECKPOINTS)
    .describe('newest checkpoints whose parameters this validator keeps in its bucket when it aggregates (signed manifests are always kept); joining nodes and evaluation workers read at most the 4th newest'),
  snapshotEvery: z.number().int().min(0).default(100).describe('also keep the parameters of the first checkpoint of every span of this many windows, for good (0: none)'),
  gradientWindows: z.number().int().min(1).default(6).describe('gradient objects older than this many windows are deleted (own bucket)'),
});

/** The validator's whole configuration: every default in one place, printed by `crucible-validator --help`. */
export const validatorConfigSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet to validate'),
  chain: chainSchema.default(chainSchema.parse({})),
  stateDir: z.string().default('~/.crucible/validator').describe('folder for ratings and checkpoints (survives restarts)'),
  /** The checkpoints this validator publishes when it aggregates; read credentials are committed on chain. */
  storage: bucketFlagsSchema({ bucket: 'crucible-validator' }),
  redis: z
    .strictObject({
      url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// URL').default('redis://127.0.0.1:6390').describe('Redis for the BullMQ evaluation queue'),
      prefix: z.string().min(1).default('bull').describe('BullMQ key prefix'),
    })
    .default({ url: 'redis://127.0.0.1:6390', prefix: 'bull' }),
  workers: z.number().int().min(0).default(1).describe('in-process evaluation workers (0: only external `crucible-validator worker` processes)'),
  evaluation: evaluationOptionsSchema.default(evaluationOptionsSchema.parse({})),
  data: dataOptionsSchema.default(dataOptionsSchema.parse({})),
  weights: weightsOptionsSchema.default(weightsOptionsSchema.parse({})),
  retention: retentionSchema.default(retentionSchema.parse({})),
  aggregate: z.boolean().default(true).describe('publish the global checkpoint when this validator is the top-staked one'),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type ValidatorConfig = z.output<typeof validatorConfigSchema>;
export type ValidatorConfigInput = z.input<typeof validatorConfigSchema>;
export type StorageOptions = BucketFlags;

/** `replay --window W`: the validator config plus the window to recompute. */
export const replayConfigSchema = validatorConfigSchema.extend({
  window: z.number().int().min(0).describe('window whose uploads to re-score (evaluated during window + 1)'),
  validatorHotkey: z.string().default('').describe('ss58 of the validator whose scores to reproduce (default: the wallet hotkey); needs no secret'),
});

const d = runDefaults;
const presetNames = Object.keys(presets) as [PresetName, ...PresetName[]];
const presetShapes = presetNames.map((n) => `${n} ${presets[n].nLayer}×${presets[n].nEmbd}`).join(', ');

/**
 * `genesis`: the subnet owner creates, publishes and commits the first checkpoint. Every run-configuration
 * flag defaults to @crucible/protocol's runDefaults (the one table of run defaults).
 */
export const genesisConfigSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet the run belongs to'),
  chain: chainSchema.default(chainSchema.parse({})),
  storage: bucketFlagsSchema({ bucket: 'crucible-owner' }),
  preset: z.enum(presetNames).default(d.preset).describe(`model preset (layers × width: ${presetShapes})`),
  initSeed: z.number().int().min(0).default(d.initSeed).describe('parameter initialisation seed'),
  dataset: datasetFlagsSchema(),
  corpus: z.string().optional().describe(`without --dataset.name: the corpus every party loads whole, \`sotu\` or a path (default ${d.corpus.source})`),
  pageSize: z.number().int().min(2).optional().describe(`without --dataset.name: tokens per corpus page (default ${d.corpus.pageSize}; a dataset's pages are fixed when it is prepared)`),
  valEvery: z.number().int().min(2).optional().describe(`without --dataset.name: every k-th page is held out for validation (default ${d.corpus.valEvery})`),
  blocksPerWindow: z.number().int().min(2).default(d.window.blocksPerWindow).describe('blocks per window'),
  pagesPerMiner: z.number().int().min(1).default(d.window.pagesPerMiner).describe('training pages assigned to each miner per window'),
  revealBlocks: z.number().int().min(1).default(d.window.revealBlocks).describe('blocks after the deadline to reveal seal keys (× block time must exceed validators\' late grace)'),
  innerSteps: z.number().int().min(1).default(d.inner.steps).describe('inner AdamW steps miners run per window'),
  batchSize: z.number().int().min(1).default(d.inner.batchSize).describe('sequences per inner step'),
  innerLr: z.number().positive().default(d.inner.learningRate).describe('inner AdamW learning rate'),
  weightDecay: z.number().min(0).default(d.inner.weightDecay).describe('inner AdamW weight decay'),
  gradClip: z.number().positive().default(d.inner.gradClip).describe('inner gradient-norm clip'),
  outerLr: z.number().positive().default(d.outer.learningRate).describe('outer SGD learning rate'),
  topG: z.number().int().min(1).default(d.outer.topG).describe('miners aggregated per window'),
  commit: z.boolean().default(true).describe('commit the bucket pointer on chain'),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type GenesisConfig = z.output<typeof genesisConfigSchema>;
