import { describe, expect, it } from 'vitest';
import { createPrng } from '../data/prng.js';
import { GraphBuilder } from '../onnx/graph.js';
import { OnnxSession } from '../session/session.js';
import { AdamW, adamWDefaults } from './adamw.js';
import { emitAdamW, type OptimizerPrecision } from './adamwGraph.js';

// Two segments as a trainer lays them out: a weight-decayed one (2-D weights) and one without decay.
const sizes = { w: 600, b: 40 };
const specs = [
  { name: 'w', shape: [20, 30] },
  { name: 'b', shape: [40] },
];

function randoms(seed: string, n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  createPrng(seed).fillNormal(a, scale);
  return a;
}

async function graphStep(precision: OptimizerPrecision, p: Float32Array[], g: Float32Array[], m: Float32Array[], v: Float32Array[], lr: number, t: number) {
  const b = new GraphBuilder('float32');
  const seg = (name: string, decay: boolean) => ({
    p: b.input(`p.${name}`, [sizes[name as 'w' | 'b']]),
    g: b.input(`g.${name}`, [sizes[name as 'w' | 'b']]),
    m: b.input(`m.${name}`, [sizes[name as 'w' | 'b']]),
    v: b.input(`v.${name}`, [sizes[name as 'w' | 'b']]),
    decay,
  });
  const out = emitAdamW(
    b,
    { segments: [seg('w', true), seg('b', false)], lr: b.input('lr', [], precision), bias1: b.input('bias1', [], precision), invSqrtBias2: b.input('ib2', [], precision) },
    adamWDefaults,
    precision,
  );
  out.segments.forEach((s, i) => {
    b.output(s.p, `p2.${i}`);
    b.output(s.m, `m2.${i}`);
    b.output(s.v, `v2.${i}`);
  });
  b.output(out.gradNorm, 'norm');
  b.output(out.applied, 'applied');
  const session = await OnnxSession.create(b.toBytes(), { threads: 2 });
  const Arr = precision === 'float64' ? Float64Array : Float32Array;
  const scalar = (x: number) => ({ data: Arr.of(x), dims: [] });
  const feeds: Record<string, { data: Float32Array | Float64Array; dims: number[] }> = {
    lr: scalar(lr),
    bias1: scalar(1 - adamWDefaults.beta1 ** t),
    ib2: scalar(1 / Math.sqrt(1 - adamWDefaults.beta2 ** t)),
  };
  ['w', 'b'].forEach((n, i) => {
    for (const [k, x] of [['p', p], ['g', g], ['m', m], ['v', v]] as const) feeds[`${k}.${n}`] = { data: x[i]!, dims: [x[i]!.length] };
  });
  const r = await session.run(feeds);
  await session.close();
  const pick = (k: string) => [0, 1].map((i) => r[`${k}.${i}`]!.data as Float32Array);
  return { p: pick('p2'), m: pick('m2'), v: pick('v2'), norm: (r.norm!.data as Float64Array | Float32Array)[0]!, applied: (r.applied!.data as Uint8Array)[0] === 1 };
}

describe('AdamW as graph operations (emitAdamW)', () => {
  const p = [randoms('p.w', 600, 0.02), randoms('p.b', 40, 0.1)];
  const m = [randoms('m.w', 600, 1e-3), randoms('m.b', 40, 1e-3)];
  const v = [randoms('v.w', 600, 1e-3).map(Math.abs), randoms('v.b', 40, 1e-3).map(Math.abs)];

  for (const scale of [0.01, 1]) {
    const g = [randoms(`g.w${scale}`, 600, scale), randoms(`g.b${scale}`, 40, scale)];
    it(`in float64 updates exactly as the host AdamW (gradient scale ${scale}: ${scale === 1 ? 'clipped' : 'not clipped'})`, async () => {
      const host = new AdamW(specs);
      host.importState({ step: 6, m: { w: m[0]!.slice(), b: m[1]!.slice() }, v: { w: v[0]!.slice(), b: v[1]!.slice() } });
      const hp = p.map((x) => x.slice());
      const res = host.update(hp, g, 2e-3);
      expect(res.clipScale < 1).toBe(scale === 1);
      const out = await graphStep('float64', p, g, m, v, 2e-3, 7);
      expect(out.applied).toBe(true);
      expect(Math.abs(out.norm - res.gradNorm) / res.gradNorm).toBeLessThan(1e-14);
      expect(out.p).toEqual(hp);
      const state = host.viewState();
      expect(out.m).toEqual([state.m.w, state.m.b]);
      expect(out.v).toEqual([state.v.w, state.v.b]);
    });

    it(`in float32 (WebGPU) agrees with the host AdamW to float32 rounding (gradient scale ${scale})`, async () => {
      const host = new AdamW(specs);
      host.importState({ step: 6, m: { w: m[0]!.slice(), b: m[1]!.slice() }, v: { w: v[0]!.slice(), b: v[1]!.slice() } });
      const hp = p.map((x) => x.slice());
      host.update(hp, g, 2e-3);
      const out = await graphStep('float32', p, g, m, v, 2e-3, 7);
      out.p.forEach((x, i) => x.forEach((y, j) => expect(Math.abs(y - hp[i]![j]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(hp[i]![j]!)) + 1e-8)));
    });
  }

  it('leaves parameters and moments untouched when the gradient norm is not finite', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const g = [randoms('g.w', 600, 0.01), randoms('g.b', 40, 0.01)];
      g[1]![3] = bad;
      for (const precision of ['float64', 'float32'] as const) {
        const out = await graphStep(precision, p, g, m, v, 2e-3, 7);
        expect(out.applied).toBe(false);
        expect(Number.isFinite(out.norm)).toBe(false);
        expect(out.p).toEqual(p);
        expect(out.m).toEqual(m);
        expect(out.v).toEqual(v);
      }
    }
  });
});
