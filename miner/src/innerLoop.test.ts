import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParams, presets, Trainer, WindowTrainer, type TokenBatch } from '@crucible/model';
import { runInnerLoop } from './innerLoop.js';

const config = presets.tiny;
const T = config.blockSize;
const B = 2;
const adamw = { weightDecay: 0.1, maxGradNorm: 1 };
const base = initParams(config, 7);
const batch = (step: number): TokenBatch => {
  const tokens = Array.from({ length: B * T }, (_, i) => (i * 31 + step * 17) % 256);
  return { tokens, targets: tokens.map((x) => (x * 7 + 3) % 256) };
};

let trainer: WindowTrainer;
beforeAll(async () => {
  trainer = await WindowTrainer.create({ config, batch: B, maxSteps: 6, threads: 1, adamw });
});
afterAll(async () => {
  await trainer.close();
});

/** A clock that moves only when a batch is drawn: every step "takes" stepMs. */
function steppingClock(stepMs: number) {
  let t = 1_000_000;
  return { now: () => t, batch: (step: number) => ((t += stepMs), batch(step)) };
}

describe('the inner loop on a WindowTrainer', () => {
  it('gives the losses and pseudo-gradient of the step-by-step trainer with the host AdamW, bit for bit', async () => {
    trainer.optimizer.reset();
    const r = await runInnerLoop({ trainer, base, batch, steps: 5, learningRate: 3e-3, stopAt: Infinity, expectedStepMs: 1 });
    expect(r.steps).toBe(5);
    expect(r.runs).toBe(1);

    const params = new Map([...base].map(([k, v]) => [k, v.slice()]));
    const host = await Trainer.create({ config, params, batch: B, threads: 1, adamw, withEval: false });
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) losses.push((await host.step(batch(s), 3e-3)).loss);
    await host.close();
    expect(r.losses).toEqual(losses);
    for (const [name, p] of params) {
      const want = base.get(name)!.map((b, i) => b - p[i]!);
      expect(r.delta.get(name), name).toEqual(want);
    }
    // The base is not touched.
    expect(base.get('wte.weight')).toEqual(initParams(config, 7).get('wte.weight'));
  });

  it('sizes each run to the time left and stops rather than finish late', async () => {
    trainer.optimizer.reset();
    const clock = steppingClock(100);
    const r = await runInnerLoop({ trainer, base, batch: clock.batch, steps: 6, learningRate: 3e-3, stopAt: clock.now() + 450, expectedStepMs: 100, now: clock.now });
    expect(r.steps).toBe(4);
    expect(r.runs).toBe(1);
    expect(r.losses).toHaveLength(4);
  });

  it('measures one step first when it has no estimate, then runs what fits', async () => {
    trainer.optimizer.reset();
    const clock = steppingClock(100);
    const r = await runInnerLoop({ trainer, base, batch: clock.batch, steps: 6, learningRate: 3e-3, stopAt: clock.now() + 450, expectedStepMs: 0, now: clock.now });
    expect([r.steps, r.runs]).toEqual([4, 2]);
    expect(r.maxStepMs).toBe(100);
  });

  it('splits a window longer than the trainer takes at once, with the same result', async () => {
    const small = await WindowTrainer.create({ config, batch: B, maxSteps: 2, threads: 1, adamw });
    try {
      const split = await runInnerLoop({ trainer: small, base, batch, steps: 5, learningRate: 3e-3, stopAt: Infinity, expectedStepMs: 1 });
      trainer.optimizer.reset();
      const whole = await runInnerLoop({ trainer, base, batch, steps: 5, learningRate: 3e-3, stopAt: Infinity, expectedStepMs: 1 });
      expect([split.steps, split.runs]).toEqual([5, 3]);
      expect(split.losses).toEqual(whole.losses);
      expect(split.delta.get('h.1.mlp.c_fc.weight')).toEqual(whole.delta.get('h.1.mlp.c_fc.weight'));
    } finally {
      await small.close();
    }
  });

  it('runs nothing when asked to stop', async () => {
    const r = await runInnerLoop({ trainer, base, batch, steps: 5, learningRate: 3e-3, stopAt: Infinity, expectedStepMs: 1, shouldStop: () => true });
    expect(r.steps).toBe(0);
    expect([...r.delta.values()].every((d) => d.every((x) => x === 0))).toBe(true);
  });
});
