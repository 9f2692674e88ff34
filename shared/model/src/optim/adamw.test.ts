import { isCrucibleError } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { AdamW, decaysWeight, globalGradNorm } from './adamw.js';

/** Plain float64 AdamW + clip, written from the PyTorch formulas, as the oracle. */
function referenceSteps(
  p0: number[][],
  gradsPerStep: number[][][],
  lrs: number[],
  is2d: boolean[],
  o = { beta1: 0.9, beta2: 0.95, eps: 1e-8, wd: 0.1, clip: 1.0 },
): number[][] {
  const p = p0.map((a) => [...a]);
  const m = p0.map((a) => a.map(() => 0));
  const v = p0.map((a) => a.map(() => 0));
  gradsPerStep.forEach((grads, s) => {
    const t = s + 1;
    const lr = lrs[s]!;
    const norm = Math.sqrt(grads.flat().reduce((acc, g) => acc + g * g, 0));
    const scale = norm > o.clip ? o.clip / (norm + 1e-6) : 1;
    p.forEach((pi, i) => {
      pi.forEach((_, j) => {
        const g = grads[i]![j]! * scale;
        if (is2d[i]) pi[j] = pi[j]! * (1 - lr * o.wd);
        m[i]![j] = o.beta1 * m[i]![j]! + (1 - o.beta1) * g;
        v[i]![j] = o.beta2 * v[i]![j]! + (1 - o.beta2) * g * g;
        const mHat = m[i]![j]! / (1 - o.beta1 ** t);
        const vHat = v[i]![j]! / (1 - o.beta2 ** t);
        pi[j] = pi[j]! - (lr * mHat) / (Math.sqrt(vHat) + o.eps);
      });
    });
  });
  return p;
}

const specs = [
  { name: 'w', shape: [2, 3] },
  { name: 'b', shape: [3] },
];

describe('AdamW', () => {
  it('decays exactly the 2-D parameters', () => {
    expect(decaysWeight([256, 64])).toBe(true);
    expect(decaysWeight([64])).toBe(false);
    expect(decaysWeight([2, 3, 4])).toBe(false);
  });

  it('first step moves each weight by lr·sign(g) after decoupled decay (hand-computed)', () => {
    const opt = new AdamW(specs, { maxGradNorm: 0 });
    const w = new Float32Array([1, -1, 0.5, 2, 0, -3]);
    const b = new Float32Array([0.25, 0, -0.25]);
    const gw = new Float32Array([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]);
    const gb = new Float32Array([1, -1, 2]);
    const lr = 0.01;
    const res = opt.update([w, b], [gw, gb], lr);
    expect(res.step).toBe(1);
    expect(res.clipScale).toBe(1);
    // m̂ = g and v̂ = g² on step 1, so the Adam term is lr·g/(|g| + eps) ≈ lr·sign(g).
    const expectW = [1, -1, 0.5, 2, 0, -3].map((x, j) => x * (1 - lr * 0.1) - lr * Math.sign([0.1, -0.2, 0.3, -0.4, 0.5, -0.6][j]!));
    const expectB = [0.25 - lr, 0 + lr, -0.25 - lr];
    expect(Array.from(w)).toEqual(expectW.map((x) => expect.closeTo(x, 6)));
    expect(Array.from(b)).toEqual(expectB.map((x) => expect.closeTo(x, 6)));
  });

  it('matches a float64 reference over several steps with clipping active', () => {
    const p0 = [
      [0.3, -0.7, 1.1, 0.05, -0.2, 0.9],
      [0.01, -0.02, 0.03],
    ];
    const grads = [
      [[0.9, -0.4, 0.3, 0.2, -0.1, 0.7], [0.5, 0.5, -0.5]], // norm > 1: clipped
      [[0.01, 0.02, -0.03, 0.04, -0.05, 0.06], [0.001, -0.002, 0.003]], // not clipped
      [[-2, 1, 0, 3, -1, 0.5], [4, -4, 1]], // clipped hard
    ];
    const lrs = [1e-3, 2e-3, 5e-4];
    const expected = referenceSteps(p0, grads, lrs, [true, false]);

    const opt = new AdamW(specs);
    const params = p0.map((a) => new Float32Array(a));
    grads.forEach((g, s) => opt.update(params, g.map((a) => new Float32Array(a)), lrs[s]!));
    params.forEach((arr, i) => {
      arr.forEach((x, j) => expect(Math.abs(x - expected[i]![j]!)).toBeLessThan(1e-6));
    });
    expect(opt.step).toBe(3);
  });

  it('clips to maxGradNorm and reports the pre-clip norm without modifying the gradients', () => {
    const opt = new AdamW([{ name: 'x', shape: [2] }], { maxGradNorm: 1 });
    const g = new Float32Array([3, 4]);
    const res = opt.update([new Float32Array(2)], [g], 0.1);
    expect(res.gradNorm).toBe(5);
    expect(res.clipScale).toBeCloseTo(1 / (5 + 1e-6), 12);
    expect(Array.from(g)).toEqual([3, 4]);
    const small = opt.update([new Float32Array(2)], [new Float32Array([0.3, 0.4])], 0.1);
    expect(small.clipScale).toBe(1);
    expect(small.gradNorm).toBeCloseTo(0.5, 7);
  });

  it('refuses a non-finite gradient without changing its state', () => {
    const opt = new AdamW([{ name: 'x', shape: [2] }]);
    const p = new Float32Array([1, 2]);
    let caught: unknown;
    try {
      opt.update([p], [new Float32Array([NaN, 1])], 0.1);
    } catch (e) {
      caught = e;
    }
    expect(isCrucibleError(caught, 'MODEL')).toBe(true);
    expect(Array.from(p)).toEqual([1, 2]);
    expect(opt.step).toBe(0);
  });

  it('rejects arrays whose count or sizes differ from the parameter specs', () => {
    const opt = new AdamW(specs);
    expect(() => opt.update([new Float32Array(6)], [new Float32Array(6)], 0.1)).toThrow(/expected 2/);
    expect(() => opt.update([new Float32Array(6), new Float32Array(2)], [new Float32Array(6), new Float32Array(3)], 0.1)).toThrow(
      /size mismatch for parameter b/,
    );
  });

  it('continues bit-identically after exporting and importing its state', () => {
    const gradsAt = (s: number) => [new Float32Array(6).map((_, j) => Math.sin(s * 7 + j)), new Float32Array(3).map((_, j) => Math.cos(s + j))];
    const a = new AdamW(specs);
    const pa = [new Float32Array(6).fill(0.5), new Float32Array(3).fill(-0.5)];
    for (let s = 0; s < 3; s++) a.update(pa, gradsAt(s), 1e-2);

    const b = new AdamW(specs);
    b.importState(a.exportState());
    const pb = pa.map((x) => x.slice());
    for (let s = 3; s < 6; s++) {
      a.update(pa, gradsAt(s), 1e-2);
      b.update(pb, gradsAt(s), 1e-2);
    }
    expect(b.step).toBe(6);
    expect(pb).toEqual(pa);
  });

  it('rejects an imported state for different parameters', () => {
    const opt = new AdamW(specs);
    const state = opt.exportState();
    expect(() => opt.importState({ ...state, m: { ...state.m, extra: new Float32Array(1) } })).toThrow(/unknown parameter extra/);
    expect(() => opt.importState({ ...state, v: { w: new Float32Array(6) } })).toThrow(/v\.b is missing/);
    expect(() => opt.importState({ ...state, step: -1 })).toThrow(/non-negative/);
  });

  it('rejects duplicate names and out-of-range options', () => {
    expect(() => new AdamW([specs[0]!, specs[0]!])).toThrow(/duplicate/);
    expect(() => new AdamW(specs, { beta2: 1 })).toThrow(/beta2/);
    expect(() => new AdamW(specs, { eps: 0 })).toThrow(/eps/);
  });

  it('computes the global norm over all arrays', () => {
    expect(globalGradNorm([new Float32Array([3]), new Float32Array([4, 0])])).toBe(5);
    expect(globalGradNorm([])).toBe(0);
  });
});
