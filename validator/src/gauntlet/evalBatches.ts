import { assignPages, deriveSeed, type Batch, type Corpus } from '@crucible/model';
import type { RunConfig } from '@crucible/protocol';

/**
 * The two batches a validator evaluates one miner's update on, both recomputable by anyone who knows
 * the validator's hotkey (so `replay` reproduces them):
 *   own    = sampleBatch(miner's assigned pages, sequences, seed = deriveSeed(OWN, evalSeed, w, hotkey))
 *   random = the first `randomPages` pages of assignPages(evalSeed, w, "random", randomPages +
 *            pagesPerMiner, trainPages) that the miner was not assigned; one page set per window, so
 *            miners are compared on (nearly) the same data; seed = deriveSeed(RANDOM, evalSeed, w).
 */
export const OWN_BATCH_DOMAIN = 'crucible/eval-own/v1';
export const RANDOM_BATCH_DOMAIN = 'crucible/eval-random/v1';

export interface EvalBatches {
  ownPages: number[];
  randomPages: number[];
  own: Batch;
  random: Batch;
}

export function minerPages(run: RunConfig, windowSeed: string, window: number, hotkey: string): number[] {
  return assignPages(windowSeed, window, hotkey, run.window.pagesPerMiner, run.corpus.trainPages);
}

export function evalBatches(corpus: Corpus, run: RunConfig, input: { windowSeed: string; evaluationSeed: string; window: number; hotkey: string }): EvalBatches {
  const { window, hotkey, evaluationSeed } = input;
  const T = run.model.blockSize;
  const B = run.evaluation.sequences;
  const ownPages = minerPages(run, input.windowSeed, window, hotkey);
  const own = new Set(ownPages);
  const candidates = assignPages(
    evaluationSeed,
    window,
    'random',
    Math.min(run.corpus.trainPages, run.evaluation.randomPages + run.window.pagesPerMiner),
    run.corpus.trainPages,
  );
  const randomPages = candidates.filter((p) => !own.has(p)).slice(0, run.evaluation.randomPages);
  return {
    ownPages,
    randomPages,
    own: corpus.trainBatch(ownPages, B, T, deriveSeed(OWN_BATCH_DOMAIN, evaluationSeed, window, hotkey)),
    random: corpus.trainBatch(randomPages, B, T, deriveSeed(RANDOM_BATCH_DOMAIN, evaluationSeed, window)),
  };
}
