import type { GptParams, TokenBatch, WindowTrainer } from '@crucible/model';

export interface InnerLoopInput {
  trainer: WindowTrainer;
  /** θ_start: the window's base parameters (not modified). */
  base: GptParams;
  /** Step i's batch (drawn from the assigned pages with the window plan's batchSeed(hotkey, i)). */
  batch: (step: number) => TokenBatch;
  steps: number;
  learningRate: number;
  /** Wall-clock time (ms since epoch) by which the last step must have finished. */
  stopAt: number;
  /** Expected duration of one step (from earlier windows); 0 when unknown. */
  expectedStepMs: number;
  /** Checked before every run of steps (the miner is shutting down). */
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
  /** Slowest step seen (a run's time over its steps), to plan the next window. */
  maxStepMs: number;
  /** Device runs the steps took (1 when the whole window fitted the time left). */
  runs: number;
}

/**
 * H inner AdamW steps from θ_start, batch i seeded by the window plan's batchSeed(hotkey, i) so
 * validators can redraw them. The steps run on the trainer's device in as few runs as the deadline
 * allows (the parameters and moments cross the bus once per run): a run takes only as many steps as
 * are expected to finish before `stopAt`, so fewer steps are fine and a late upload is not. With no
 * estimate yet (the first window) the first run is a single step, which measures one.
 */
export async function runInnerLoop(input: InnerLoopInput): Promise<InnerLoopResult> {
  const now = input.now ?? Date.now;
  const { trainer, base } = input;
  trainer.setParams(base);
  const started = now();
  const losses: number[] = [];
  let expected = input.expectedStepMs;
  let maxStepMs = 0;
  let runs = 0;
  while (losses.length < input.steps && !input.shouldStop?.()) {
    const left = input.steps - losses.length;
    const t0 = now();
    const fits = expected > 0 ? Math.floor((input.stopAt - t0) / expected) : 1;
    const n = Math.min(left, trainer.maxSteps, fits);
    if (n < 1) break;
    const from = losses.length;
    const batches = Array.from({ length: n }, (_, k) => input.batch(from + k));
    const out = await trainer.run(batches, batches.map(() => input.learningRate));
    runs++;
    losses.push(...out.losses);
    const perStep = (now() - t0) / n;
    maxStepMs = Math.max(maxStepMs, perStep);
    expected = Math.max(perStep, expected * 0.5);
  }
  const delta = new Map<string, Float32Array>();
  for (const [name, p] of trainer.params) {
    const b = base.get(name)!;
    const d = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) d[i] = b[i]! - p[i]!;
    delta.set(name, d);
  }
  return { steps: losses.length, losses, delta, tokens: losses.length * trainer.stepTokens, trainMs: now() - started, maxStepMs, runs };
}
