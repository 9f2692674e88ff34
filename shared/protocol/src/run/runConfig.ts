import { z } from 'zod';
import { codecConfigSchema } from '@crucible/codec';

/**
 * The run configuration: everything every party of a subnet must agree on to train one model together
 * (model shape, data, window length, codec, evaluation and outer-step settings). It is fixed by the
 * subnet owner in the genesis checkpoint's signed manifest and copied into every later manifest, so
 * miners and validators read it from the checkpoint chain rather than from their own flags.
 */
export const runConfigSchema = z.strictObject({
  version: z.literal(1),
  netuid: z.number().int().min(0).max(65535),
  model: z.strictObject({
    nLayer: z.number().int().min(1),
    nEmbd: z.number().int().min(1),
    nHead: z.number().int().min(1),
    blockSize: z.number().int().min(2),
  }),
  initSeed: z.number().int().min(0),
  corpus: z.strictObject({
    /** `sotu` (the npm-shipped default) or a path every party holds the same text at. */
    source: z.string().min(1),
    pageSize: z.number().int().min(2),
    valEvery: z.number().int().min(2),
    /** Number of training pages, so a party with different text notices at once. */
    trainPages: z.number().int().min(1),
  }),
  window: z.strictObject({
    blocksPerWindow: z.number().int().min(2),
    /** Training pages assigned to each miner per window. */
    pagesPerMiner: z.number().int().min(1),
  }),
  /** The inner loop miners are expected to run (honest defaults; validators judge only outcomes). */
  inner: z.strictObject({
    steps: z.number().int().min(1),
    batchSize: z.number().int().min(1),
    learningRate: z.number().positive(),
    weightDecay: z.number().min(0),
    gradClip: z.number().positive(),
  }),
  codec: codecConfigSchema,
  evaluation: z.strictObject({
    /** Sequences drawn from the miner's own pages and from random pages, each. */
    sequences: z.number().int().min(1),
    /** Random (not assigned to the miner) pages the random-data batch is drawn from. */
    randomPages: z.number().int().min(1),
    /** Updates whose norm exceeds this × the median of the window's updates are rejected as oversized. */
    oversizeFactor: z.number().min(1),
    /** Cosine similarity at or above which a later update is a copy. */
    copyThreshold: z.number().min(0).max(1),
  }),
  outer: z.strictObject({
    /** SparseLoCo's outer SGD: θ ← θ − lr · (mean of the clipped updates), optionally with momentum. */
    learningRate: z.number().positive(),
    momentum: z.number().min(0).max(0.999),
    /** Miners aggregated per window (top by the aggregator's scores). */
    topG: z.number().int().min(1),
  }),
});

export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;
