import { describe, expect, it } from 'vitest';
import { parseCodecConfig } from './config.js';
import { decodeTensor } from './compress.js';
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
