import { isCrucibleError } from '@crucible/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { GptConfig } from '../gpt/config.js';
import { initParams } from '../gpt/init.js';
import type { GptParams } from '../gpt/params.js';
import type { TokenBatch } from '../session/gptSession.js';
import { Trainer, type TrainStepInfo } from './trainer.js';
import { WindowTrainer } from './windowTrainer.js';

// Two layers, width 32, context 16: every operator of the real model, small enough for 2 CPU cores.
const config: GptConfig = { nLayer: 2, nEmbd: 32, nHead: 4, blockSize: 16 };
const T = config.blockSize;
const init = initParams(config, 1);
const copy = (p: GptParams): GptParams => new Map([...p].map(([k, v]) => [k, v.slice()]));

/** A deterministic batch of n token ids (step k): varied bytes, so every row of the embedding moves. */
function batch(n: number, k: number): TokenBatch {
  const tokens = Array.from({ length: n }, (_, i) => (i * 7 + k * 13 + ((i * i) % 5)) % 256);
  const targets = Array.from({ length: n }, (_, i) => (i * 11 + k * 5 + 3) % 256);
  return { tokens, targets };
}

const closing: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const c of closing) await c.close();
});
async function trainer(B: number): Promise<Trainer> {
  const t = await Trainer.create({ config, params: copy(init), batch: B, threads: 1, withEval: false });
  closing.push(t);
  return t;
}
async function window(o: { batch: number; maxSteps: number; accumulate?: number }): Promise<WindowTrainer> {
  const w = await WindowTrainer.create({ config, threads: 1, ...o });
  closing.push(w);
  w.setParams(init);
  return w;
}

function countDiffs(a: ReadonlyMap<string, Float32Array>, b: ReadonlyMap<string, Float32Array>): number {
  let n = 0;
  for (const [name, x] of a) {
    const y = b.get(name)!;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) n++;
  }
  return n;
}
const asMap = (r: Record<string, Float32Array>) => new Map(Object.entries(r));

describe('WindowTrainer: a window of inner steps as one ONNX Loop (CPU execution provider)', () => {
  const B = 3;
  const lrs = [1e-3, 3e-3, 2e-3, 5e-4];
  const batches = lrs.map((_, k) => batch(B * T, k));

  it('gives the step-by-step Trainer’s losses, parameters and moments bit for bit, clipping included', async () => {
    const host = await trainer(B);
    const ref: TrainStepInfo[] = [];
    for (let k = 0; k < lrs.length; k++) ref.push(await host.step(batches[k]!, lrs[k]!));
    const w = await window({ batch: B, maxSteps: lrs.length });
    const run = await w.run(batches, lrs);

    expect(run.losses).toEqual(ref.map((r) => r.loss));
    expect(ref.some((r) => r.clipScale < 1)).toBe(true); // the clip is exercised
    // The norm's sum runs in onnxruntime's order: equal to the last bits only.
    run.gradNorms.forEach((n, k) => expect(Math.abs(n - ref[k]!.gradNorm) / ref[k]!.gradNorm).toBeLessThan(1e-13));
    expect(run.applied).toEqual([true, true, true, true]);
    expect(run.step).toBe(4);
    expect(countDiffs(w.params, host.params)).toBe(0);
    const mine = w.optimizer.viewState();
    const theirs = host.optimizer.viewState();
    expect(countDiffs(asMap(mine.m), asMap(theirs.m))).toBe(0);
    expect(countDiffs(asMap(mine.v), asMap(theirs.v))).toBe(0);
  });

  it('continues across runs and runs fewer steps than maxSteps (two runs of 2 equal 4 host steps)', async () => {
    const host = await trainer(B);
    for (let k = 0; k < lrs.length; k++) await host.step(batches[k]!, lrs[k]!);
    const w = await window({ batch: B, maxSteps: 3 });
    const first = await w.run(batches.slice(0, 2), lrs.slice(0, 2));
    const second = await w.run(batches.slice(2), lrs.slice(2));
    expect(first.losses).toHaveLength(2);
    expect(second.step).toBe(4);
    expect(countDiffs(w.params, host.params)).toBe(0);
  });

  it('moves optimizer state to and from the host AdamW (importState / exportState)', async () => {
    const host = await trainer(B);
    for (let k = 0; k < 2; k++) await host.step(batches[k]!, lrs[k]!);
    const w = await window({ batch: B, maxSteps: 2 });
    w.setParams(host.params);
    w.optimizer.importState(host.optimizer.exportState());
    for (let k = 2; k < 4; k++) await host.step(batches[k]!, lrs[k]!);
    await w.run(batches.slice(2), lrs.slice(2));
    expect(countDiffs(w.params, host.params)).toBe(0);
    const back = await trainer(B);
    back.optimizer.importState(w.optimizer.exportState());
    expect(back.optimizer.step).toBe(4);
    expect(countDiffs(asMap(back.optimizer.viewState().v), asMap(host.optimizer.viewState().v))).toBe(0);
  });

  it('skips a step whose gradient norm is not finite, changing nothing (as the host AdamW refuses it)', async () => {
    const w = await window({ batch: B, maxSteps: 2 });
    w.params.get('ln_f.bias')![0] = Number.NaN;
    const before = copy(w.params);
    const run = await w.run(batches.slice(0, 2), lrs.slice(0, 2));
    expect(run.applied).toEqual([false, false]);
    expect(run.gradNorms.every((n) => Number.isNaN(n))).toBe(true);
    expect(run.step).toBe(0);
    expect(countDiffs(w.params, before)).toBe(0);
    expect([...Object.values(w.optimizer.viewState().m)].every((m) => m.every((x) => x === 0))).toBe(true);
    const host = await trainer(B);
    host.params.get('ln_f.bias')![0] = Number.NaN;
    await expect(host.step(batches[0]!, lrs[0]!)).rejects.toSatisfy((e) => isCrucibleError(e, 'MODEL'));
  });

  it('accumulates gradients over micro-batches: A micro-batches of B equal one step on A·B sequences', async () => {
    const A = 3;
    const micro = 2;
    const big = lrs.slice(0, 3).map((_, k) => batch(A * micro * T, k));
    const host = await trainer(A * micro);
    const ref: TrainStepInfo[] = [];
    for (let k = 0; k < 3; k++) ref.push(await host.step(big[k]!, lrs[k]!));
    const w = await window({ batch: micro, maxSteps: 3, accumulate: A });
    const run = await w.run(big, lrs.slice(0, 3));
    // The same mathematics summed in another order: equal to float32 rounding.
    run.losses.forEach((l, k) => expect(Math.abs(l - ref[k]!.loss)).toBeLessThan(2e-6));
    run.gradNorms.forEach((n, k) => expect(Math.abs(n - ref[k]!.gradNorm) / ref[k]!.gradNorm).toBeLessThan(1e-5));
    // The update (p − p0) agrees in relative L2 norm.
    let num = 0;
    let den = 0;
    for (const [name, p] of w.params) {
      const q = host.params.get(name)!;
      const p0 = init.get(name)!;
      for (let i = 0; i < p.length; i++) {
        num += (p[i]! - q[i]!) ** 2;
        den += (q[i]! - p0[i]!) ** 2;
      }
    }
    expect(Math.sqrt(num / den)).toBeLessThan(1e-3);
  });

  it('cuts and joins more parameters than one Split or Concat takes (a tree of them), still bit for bit', async () => {
    // 5 layers: 42 one-dimensional parameters, more than the 32 one CUDA Split/Concat is given
    const deep: GptConfig = { nLayer: 5, nEmbd: 16, nHead: 2, blockSize: 8 };
    const p0 = initParams(deep, 3);
    const b = [0, 1].map((k) => batch(2 * deep.blockSize, k));
    const host = await Trainer.create({ config: deep, params: copy(p0), batch: 2, threads: 1, withEval: false });
    closing.push(host);
    for (let k = 0; k < 2; k++) await host.step(b[k]!, lrs[k]!);
    const w = await WindowTrainer.create({ config: deep, batch: 2, maxSteps: 2, threads: 1 });
    closing.push(w);
    w.setParams(p0);
    await w.run(b, lrs.slice(0, 2));
    expect(countDiffs(w.params, host.params)).toBe(0);
  });

  it('rejects malformed runs with typed errors', async () => {
    const w = await window({ batch: B, maxSteps: 2 });
    await expect(w.run(batches.slice(0, 3), lrs.slice(0, 3))).rejects.toSatisfy((e) => isCrucibleError(e, 'MODEL'));
    await expect(w.run(batches.slice(0, 1), [Number.NaN])).rejects.toSatisfy((e) => isCrucibleError(e, 'MODEL'));
    await expect(w.run([batch(B * T - 1, 0)], [1e-3])).rejects.toSatisfy((e) => isCrucibleError(e, 'DATA'));
    // Token ids are checked against the model's vocabulary (256 here), not a fixed byte range.
    const outside = { tokens: new Array<number>(B * T).fill(256), targets: new Array<number>(B * T).fill(0) };
    await expect(w.run([outside], [1e-3])).rejects.toThrow(/256-token vocabulary/);
    await expect(WindowTrainer.create({ config, batch: 0, maxSteps: 2 })).rejects.toSatisfy((e) => isCrucibleError(e, 'CONFIG_INVALID'));
  });
});
