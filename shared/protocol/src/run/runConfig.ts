import { z } from 'zod';
import { codecConfigSchema } from '@crucible/codec';
import { datasetCorpusSource, datasetRefSchema } from '@crucible/data';
import { VOCAB_SIZE } from '@crucible/model';

/**
 * The run configuration: everything every party of a subnet must agree on to train one model together
 * (model shape, data, window length, codec, evaluation and outer-step settings). It is fixed by the
 * subnet owner in the genesis checkpoint's signed manifest and copied into every later manifest, so
 * miners and validators read it from the checkpoint chain rather than from their own flags.
 */
export const runConfigSchema = z
  .strictObject({
    version: z.literal(2),
    netuid: z.number().int().min(0).max(65535),
    model: z.strictObject({
      nLayer: z.number().int().min(1),
      nEmbd: z.number().int().min(1),
      nHead: z.number().int().min(1),
      blockSize: z.number().int().min(2),
      /** Token ids 0..vocabSize−1, the dataset tokenizer's; absent: 256 (bytes), as @crucible/model's GptConfig. */
      vocabSize: z.number().int().min(2).max(2 ** 32).optional(),
    }),
    initSeed: z.number().int().min(0),
    /**
     * The published dataset the run trains on (its location, the read-only key everyone uses, its name
     * and manifest hash, which pins every shard and page). Absent: every party loads `corpus.source` whole.
     */
    dataset: datasetRefSchema.optional(),
    /**
     * The pages windows are planned over: with a dataset, its page geometry and training page count
     * (source `dataset:<name>`, read from its manifest at genesis and checked by every reader); without
     * one, the local corpus's.
     */
    corpus: z.strictObject({
      /** `dataset:<name>`, or `sotu` (the npm-shipped default) or a path every party holds the same text at. */
      source: z.string().min(1),
      pageSize: z.number().int().min(2),
      valEvery: z.number().int().min(2),
      /** Number of training pages (what page assignment draws from), so a party with different text notices at once. */
      trainPages: z.number().int().min(1),
    }),
    window: z.strictObject({
      blocksPerWindow: z.number().int().min(2),
      /** Training pages assigned to each miner per window. */
      pagesPerMiner: z.number().int().min(1),
      /**
       * Blocks after the upload deadline by which a miner reveals its seal key; the hash of that block
       * (the reveal block) seeds evaluation, so nothing evaluated can be known before uploads are fixed.
       * revealBlocks × block time must exceed the validators' grace for late uploads, and the reveal
       * block comes before the next window's deadline (revealBlocks < blocksPerWindow): a validator rates
       * window w during window w + 1.
       */
      revealBlocks: z.number().int().min(1),
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
      /**
       * No longer used, accepted so configurations that set it still load: updates were rejected as
       * oversized above this × the window's median norm, which a few tiny updates could use to get honest
       * ones rejected. Every update counts at the median norm instead (update/clip.ts).
       */
      oversizeFactor: z.number().min(1).optional(),
      /** Value cosine at or above which two updates are the same work. */
      copyThreshold: z.number().min(0).max(1),
      /** Fraction of shared top-k indices at or above which two updates are the same work (Templar: 0.4). */
      overlapThreshold: z.number().min(0).max(1),
      /**
       * Similarity (cosine or overlap) at or above which another update is left out of a miner's
       * leave-one-out control, so a near-copy of a miner's work never counts against it.
       */
      controlExclusion: z.number().min(0).max(1),
    }),
    /** How verdicts turn into pay (documented in README: how scoring works). */
    scoring: z.strictObject({
      /** Multipliers on a miner's final score after 1, 2, 3… consecutive windows missing or rejected; the last repeats. */
      missPenalties: z.array(z.number().min(0).max(1)).min(1).max(16),
      /** Windows a newly registered hotkey is evaluated before it earns. */
      warmupWindows: z.number().int().min(0),
      /** Share of every validator's weight given to the subnet owner's uid (burned). */
      burnShare: z.number().min(0).max(1),
    }),
    outer: z.strictObject({
      /** SparseLoCo's outer SGD: θ ← θ − lr · (mean of the clipped updates), optionally with momentum. */
      learningRate: z.number().positive(),
      momentum: z.number().min(0).max(0.999),
      /** Miners aggregated per window (top by the aggregator's scores). */
      topG: z.number().int().min(1),
    }),
  })
  .superRefine((run, ctx) => {
    if (run.dataset) {
      const source = datasetCorpusSource(run.dataset.name);
      if (run.corpus.source !== source) ctx.addIssue({ code: 'custom', path: ['corpus', 'source'], message: `a run on dataset ${run.dataset.name} has corpus source ${source}` });
    } else {
      if (run.corpus.source.startsWith('dataset:')) ctx.addIssue({ code: 'custom', path: ['dataset'], message: `corpus source ${run.corpus.source} names a dataset the run configuration does not pin` });
      if ((run.model.vocabSize ?? VOCAB_SIZE) !== VOCAB_SIZE) ctx.addIssue({ code: 'custom', path: ['model', 'vocabSize'], message: 'a vocabulary other than bytes needs a dataset tokenized for it' });
    }
    if (run.window.revealBlocks >= run.window.blocksPerWindow) {
      ctx.addIssue({ code: 'custom', path: ['window', 'revealBlocks'], message: `revealBlocks (${run.window.revealBlocks}) must be fewer than blocksPerWindow (${run.window.blocksPerWindow}): window w is rated during window w + 1` });
    }
    if (run.model.vocabSize === VOCAB_SIZE) ctx.addIssue({ code: 'custom', path: ['model', 'vocabSize'], message: 'a byte-level model leaves vocabSize out (one encoding per configuration)' });
  });

export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;
