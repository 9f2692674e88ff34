import { describe, expect, it } from 'vitest';
import { parseCodecConfig } from './config.js';
import { compressTensor, decodeTensor } from './compress.js';
import { createErrorFeedback, sparseLoCoStep } from './errorFeedback.js';
import { seededRandom } from './random.js';

const params = [
  { name: 'w', shape: [16, 24] },
  { name: 'b', shape: [40] },
];

function norm(a: Float64Array | Float32Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

describe('sparseLoCoStep (error feedback)', () => {
  it('applies e ← β·e + Δ, then subtracts exactly what it sends', () => {
    const config = parseCodecConfig({ tileSize: 8, chunkSize: 16, topK: 4, beta: 0.5 });
    const rng = seededRandom(11);
    const state = createErrorFeedback(params);
    const first = { w: rng.normals(384), b: rng.normals(40) };
    sparseLoCoStep(state, first, config);
    const before = Float32Array.from(state.buffers.get('w')!);
    const delta = { w: rng.normals(384), b: rng.normals(40) };
    const [cw] = sparseLoCoStep(state, delta, config);
    const sent = decodeTensor(cw!, config);
    const after = state.buffers.get('w')!;
    for (let i = 0; i < 384; i++) {
      expect(after[i]).toBeCloseTo(0.5 * before[i]! + delta.w[i]! - sent[i]!, 5);
    }
  });

  it('is bit-identical to doing update, compression and subtraction one after the other (it fuses them)', () => {
    // Tiles and runs large enough for the sampled-threshold selection, data that makes it fall back
    // (ties: too many candidates; lone spikes on sampled positions: too few), signed zeros, a ragged edge.
    const config = parseCodecConfig({ tileSize: 32, chunkSize: 2048, topK: 16, beta: 0.9 });
    const table = [
      { name: 'w', shape: [70, 96] },
      { name: 'r', shape: [5000] },
      { name: 'b', shape: [40] },
    ];
    const rng = seededRandom(13);
    const inputs = [
      (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : rng.normals(1)[0]! > 0 ? 0.25 : -0.25)),
      (n: number) => rng.normals(n),
      (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 16 === 0 && i < 320 ? 9 + i : 1e-6 * rng.normals(1)[0]!)),
    ];
    const fused = createErrorFeedback(table);
    const stepwise = createErrorFeedback(table);
    for (const make of inputs) {
      const delta = Object.fromEntries(table.map((p) => [p.name, make(p.shape.reduce((a, b) => a * b, 1))]));
      const sent = sparseLoCoStep(fused, delta, config);
      table.forEach((p, t) => {
        const e = stepwise.buffers.get(p.name)!;
        for (let i = 0; i < e.length; i++) e[i] = config.beta * e[i]! + delta[p.name]![i]!;
        const c = compressTensor(p.name, p.shape, e, config);
        const d = decodeTensor(c, config);
        for (let i = 0; i < e.length; i++) if (d[i] !== 0) e[i] = e[i]! - d[i]!;
        expect(sent[t]).toEqual(c);
        const got = fused.buffers.get(p.name)!;
        for (let i = 0; i < e.length; i++) expect(Object.is(got[i], e[i]), `${p.name}[${i}]`).toBe(true);
      });
    }
  });

  it('refuses a non-finite pseudo-gradient (CODEC) wherever it sits in a chunk', () => {
    const config = parseCodecConfig({ tileSize: 32, chunkSize: 2048, topK: 16 });
    // 0 and 64 are sampled positions of a 2048-run, 65 is not; [64, 64] is cut into 32×32 tiles (strided
    // rows); [40] is too small to sample, so it is read whole.
    for (const [shape, at] of [[[4096], 0], [[4096], 64], [[4096], 65], [[64, 64], 100], [[40], 3]] as const) {
      const state = createErrorFeedback([{ name: 'x', shape: [...shape] }]);
      const delta = new Float32Array(state.buffers.get('x')!.length).fill(1e-3);
      for (const bad of [NaN, Infinity, -Infinity]) {
        delta[at] = bad;
        expect(() => sparseLoCoStep(state, { x: delta }, config)).toThrow(expect.objectContaining({ code: 'CODEC' }));
      }
    }
  });

  it('carries what top-k dropped into later rounds: with β = 1 the sum of sent updates converges to the sum of inputs', () => {
    const config = parseCodecConfig({ tileSize: 8, chunkSize: 16, topK: 8, beta: 1 });
    const rng = seededRandom(12);
    const state = createErrorFeedback(params);
    const total = { w: new Float64Array(384), b: new Float64Array(40) };
    const sent = { w: new Float64Array(384), b: new Float64Array(40) };
    const rounds = 120;
    for (let t = 0; t < rounds; t++) {
      // Five rounds of input, then nothing: the buffer must drain into later messages.
      const delta = t < 5 ? { w: rng.normals(384), b: rng.normals(40) } : { w: new Float32Array(384), b: new Float32Array(40) };
      const out = sparseLoCoStep(state, delta, config);
      for (const c of out) {
        const key = c.name as 'w' | 'b';
        const d = decodeTensor(c, config);
        for (let i = 0; i < d.length; i++) {
          sent[key][i]! += d[i]!;
          total[key][i]! += delta[key][i]!;
        }
      }
      if (t === 4) {
        const gap = norm(total.w.map((v, i) => v - sent.w[i]!));
        expect(gap / norm(total.w)).toBeGreaterThan(0.3); // much of it is still waiting
      }
    }
    for (const key of ['w', 'b'] as const) {
      const gap = norm(total[key].map((v, i) => v - sent[key][i]!));
      expect(gap / norm(total[key])).toBeLessThan(0.02);
    }
  });
});
