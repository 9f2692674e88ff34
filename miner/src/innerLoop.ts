import type { Corpus, GptParams, Trainer } from '@crucible/model';

export interface InnerLoopInput {
  trainer: Trainer;
  /** θ_start: the window's base parameters (not modified). */
  base: GptParams;
  /** Draws step batches from the window's pages: a Corpus, or TrainingData.windowPages(pages). */
  corpus: Pick<Corpus, 'trainBatch'>;
  /** Training page indices assigned to this miner for the window. */
  pages: readonly number[];
  /** The PRNG seed of step i's batch (the window plan's batchSeed for this miner). */
  batchSeed: (step: number) => Uint8Array;
  steps: number;
  learningRate: number;
  /** Wall-clock time (ms since epoch) by which the last step must have finished. */
  stopAt: number;
  /** Expected duration of one step (from earlier windows); 0 when unknown. */
  expectedStepMs: number;
  /** Checked before every step (the miner is shutting down). */
  shouldStop?: () => boolean;
  now?: () => number;
}

export interface InnerLoopResult {
  steps: number;
  /** Training loss of each step's batch before its update (nats). */
  losses: number[];
  /** The pseudo-gradient Δ = θ_start − θ_end, per parameter. */
  delta: Map<string, Float32Array>;
  tokens: number;
  trainMs: number;
  /** Slowest step seen, to plan the next window. */
  maxStepMs: number;
}

/**
 * H inner AdamW steps from θ_start on batches drawn from the assigned pages, batch i seeded by the
 * window plan's batchSeed(hotkey, i) so validators can redraw them. A step starts only when it is
 * expected to finish before `stopAt`: fewer steps are fine, a late upload is not.
 */
export async function runInnerLoop(input: InnerLoopInput): Promise<InnerLoopResult> {
  const now = input.now ?? Date.now;
  const { trainer, base } = input;
  for (const [name, p] of trainer.params) p.set(base.get(name)!);
  const T = trainer.config.blockSize;
  const B = trainer.session.batch;
  const started = now();
  const losses: number[] = [];
  let expected = input.expectedStepMs;
  let maxStepMs = 0;
  for (let step = 0; step < input.steps; step++) {
    const t0 = now();
    if (t0 + expected > input.stopAt || input.shouldStop?.()) break;
    const batch = input.corpus.trainBatch(input.pages, B, T, input.batchSeed(step));
    const info = await trainer.step({ tokens: batch.inputs, targets: batch.targets }, input.learningRate);
    losses.push(info.loss);
    const took = now() - t0;
    maxStepMs = Math.max(maxStepMs, took);
    expected = Math.max(took, expected * 0.5);
  }
  const delta = new Map<string, Float32Array>();
  for (const [name, p] of trainer.params) {
    const b = base.get(name)!;
    const d = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) d[i] = b[i]! - p[i]!;
    delta.set(name, d);
  }
  return { steps: losses.length, losses, delta, tokens: losses.length * B * T, trainMs: now() - started, maxStepMs };
}
