import { deriveSeed, drawPages, type Batch } from '@crucible/model';
import type { RunConfig } from '../run/runConfig.js';
import { seedDomains } from './seedDomains.js';
import { assignPages } from './seeds.js';

/**
 * The data a validator evaluates one miner's update on, recomputable by anyone who knows the seeds:
 *   own    = `sequences` sequences from the miner's assigned pages, PRNG seed
 *            deriveSeed(eval-own, evaluation seed, window, hotkey)
 *   random = `sequences` sequences from `randomPages` pages the miner was not assigned: the first
 *            `randomPages` of drawPages(deriveSeed(assign-pages, evaluation seed, window, "random",
 *            trainPages), randomPages + pagesPerMiner) outside the miner's own; one page set per
 *            validator and window, so miners are compared on (nearly) the same data; PRNG seed
 *            deriveSeed(eval-random, evaluation seed, window).
 */
export interface EvaluationSample {
  ownPages: number[];
  randomPages: number[];
  own: Batch;
  random: Batch;
}

/**
 * Anything that draws a batch from training pages: the model's Corpus (in memory) or a dataset reader
 * (@crucible/data's RunData, which fetches the pages a batch uses).
 */
export interface TrainingPages {
  trainBatch(pages: readonly number[], batchSize: number, seqLen: number, seed: Uint8Array): Batch | Promise<Batch>;
}

/** The pages an update is evaluated on (no data read): the miner's own and the validator's random pages. */
export function evaluationPages(
  run: Pick<RunConfig, 'evaluation' | 'window' | 'corpus'>,
  input: { windowSeed: string; evaluationSeed: `0x${string}`; window: number; hotkey: string },
): { ownPages: number[]; randomPages: number[] } {
  const { window, hotkey, evaluationSeed } = input;
  const total = run.corpus.trainPages;
  const ownPages = assignPages(input.windowSeed, window, hotkey, run.window.pagesPerMiner, total);
  const own = new Set(ownPages);
  const candidates = drawPages(deriveSeed(seedDomains.assignPages, evaluationSeed, window, 'random', total), Math.min(total, run.evaluation.randomPages + run.window.pagesPerMiner), total);
  return { ownPages, randomPages: candidates.filter((p) => !own.has(p)).slice(0, run.evaluation.randomPages) };
}

export async function evaluationSample(
  corpus: TrainingPages,
  run: Pick<RunConfig, 'model' | 'evaluation' | 'window' | 'corpus'>,
  input: { windowSeed: string; evaluationSeed: `0x${string}`; window: number; hotkey: string },
): Promise<EvaluationSample> {
  const { window, hotkey, evaluationSeed } = input;
  const T = run.model.blockSize;
  const B = run.evaluation.sequences;
  const { ownPages, randomPages } = evaluationPages(run, input);
  const [own, random] = await Promise.all([
    corpus.trainBatch(ownPages, B, T, deriveSeed(seedDomains.evaluationOwnBatch, evaluationSeed, window, hotkey)),
    corpus.trainBatch(randomPages, B, T, deriveSeed(seedDomains.evaluationRandomBatch, evaluationSeed, window)),
  ]);
  return { ownPages, randomPages, own, random };
}
