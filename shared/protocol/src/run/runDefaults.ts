import { CrucibleError } from '@crucible/core';
import { defaultCodecConfig } from '@crucible/codec';
import { datasetCorpusSource, type PinnedDataset } from '@crucible/data';
import { presets, validateConfig, type PresetName } from '@crucible/model';
import { runConfigSchema, type RunConfig } from './runConfig.js';

/**
 * Every default of a run configuration, in one place: `crucible-validator genesis` prints these as its
 * flag defaults, crucible-local and the tests start from them. The model is a preset of @crucible/model
 * (tiny: 2 layers × 96 wide, trains visibly on two CPU cores; small: ≈3.3M parameters; base; medium).
 */
export const runDefaults = {
  preset: 'tiny' as PresetName,
  initSeed: 0,
  corpus: { source: 'sotu', pageSize: 4096, valEvery: 20 },
  window: { blocksPerWindow: 20, pagesPerMiner: 2, revealBlocks: 2 },
  inner: { steps: 15, batchSize: 8, learningRate: 3e-3, weightDecay: 0.1, gradClip: 1 },
  codec: defaultCodecConfig,
  evaluation: { sequences: 32, randomPages: 4, copyThreshold: 0.6, overlapThreshold: 0.4, controlExclusion: 0.35 },
  scoring: { missPenalties: [0.75, 0.5, 0], warmupWindows: 3, burnShare: 0 },
  outer: { learningRate: 0.7, momentum: 0, topG: 5 },
} as const;

type Section = 'corpus' | 'window' | 'inner' | 'codec' | 'evaluation' | 'outer' | 'scoring';

export interface RunConfigOptions {
  netuid: number;
  /**
   * The published dataset the run trains on, with its manifest (pinDataset): the corpus section (page
   * geometry, training page count) and model.vocabSize come from the manifest, so page assignment is
   * over the dataset's pages and the model's vocabulary is its tokenizer's.
   */
  dataset?: PinnedDataset;
  /** Without a dataset: training pages of the corpus (read from the corpus, so a party with other text notices at once). */
  trainPages?: number;
  /** A preset name or an explicit shape (default runDefaults.preset). */
  model?: PresetName | RunConfig['model'];
  initSeed?: number;
  /** Any field of any section; the rest come from runDefaults. */
  overrides?: { [S in Section]?: Partial<RunConfig[S]> };
}

/** A complete, validated run configuration: runDefaults with the given fields replaced. */
export function runConfigFor(o: RunConfigOptions): RunConfig {
  const shape = typeof o.model === 'object' ? o.model : presets[o.model ?? runDefaults.preset];
  const over = o.overrides ?? {};
  const data = o.dataset ? fromDataset(o.dataset, over.corpus) : undefined;
  if (!data && o.trainPages === undefined) throw new CrucibleError('CONFIG_INVALID', 'a run configuration needs a dataset or the corpus\'s training page count');
  // The vocabulary follows the dataset's tokenizer; validateConfig leaves a byte-level vocabulary out.
  const model = validateConfig(data ? { ...shape, vocabSize: data.vocabSize } : shape);
  return runConfigSchema.parse({
    version: 2,
    netuid: o.netuid,
    model: { ...model },
    initSeed: o.initSeed ?? runDefaults.initSeed,
    ...(data ? { dataset: data.ref } : {}),
    corpus: data ? data.corpus : { ...runDefaults.corpus, ...over.corpus, trainPages: o.trainPages },
    window: { ...runDefaults.window, ...over.window },
    inner: { ...runDefaults.inner, ...over.inner },
    codec: { ...runDefaults.codec, ...over.codec },
    evaluation: { ...runDefaults.evaluation, ...over.evaluation },
    outer: { ...runDefaults.outer, ...over.outer },
    scoring: { ...runDefaults.scoring, missPenalties: [...runDefaults.scoring.missPenalties], ...over.scoring },
  });
}

/** The corpus section and vocabulary a dataset dictates; corpus overrides may only repeat them. */
function fromDataset(pinned: PinnedDataset, over: Partial<RunConfig['corpus']> | undefined) {
  const m = pinned.manifest;
  const corpus = { source: datasetCorpusSource(pinned.ref.name), pageSize: m.pageSize, valEvery: m.split.valEvery, trainPages: m.trainPages };
  for (const [k, v] of Object.entries(over ?? {}) as [keyof typeof corpus, unknown][]) {
    if (v !== undefined && v !== corpus[k]) {
      throw new CrucibleError('CONFIG_INVALID', `corpus ${k} ${String(v)} contradicts dataset ${pinned.ref.name} (${String(corpus[k])}); a dataset's pages are fixed when it is prepared`, { details: { field: k, given: v, dataset: corpus[k] } });
    }
  }
  return { ref: pinned.ref, corpus, vocabSize: m.vocabSize };
}
