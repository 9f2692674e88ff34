import { describe, expect, it } from 'vitest';
import { compressTensor, decompressTensor, parseCodecConfig } from '@crucible/codec';
import { outerStep } from './outerStep.js';

const config = parseCodecConfig({ tileSize: 4, chunkSize: 16, topK: 16, bits: 8 });
const table = [{ name: 'w', shape: [4, 4] }];

function update(values: number[]) {
  const sparse = decompressTensor(compressTensor('w', [4, 4], Float32Array.from(values), config), config);
  return { sparse: new Map([['w', sparse]]), norm: Math.hypot(...sparse.values) };
}

describe('outer step', () => {
  it('moves the base by −lr × the mean of the miners\' pseudo-gradients', () => {
    const base = new Map([['w', new Float32Array(16).fill(1)]]);
    const a = Array.from({ length: 16 }, (_, i) => (i % 2 ? 0.1 : -0.1));
    const out = outerStep(base, table, [update(a), update(a)], { learningRate: 0.5, momentum: 0 });
    const w = out.params.get('w')!;
    for (let i = 0; i < 16; i++) expect(w[i]).toBeCloseTo(1 - 0.5 * a[i]!, 2);
    expect(base.get('w')![0]).toBe(1);
  });

  it('takes every update at the reference norm, up or down (the rule evaluation uses)', () => {
    const base = new Map([['w', new Float32Array(16)]]);
    const small = update(Array.from({ length: 16 }, () => 0.1));
    const big = update(Array.from({ length: 16 }, () => 1));
    // Two updates: the median is the lower one, so the big one counts as the small one.
    const w = outerStep(base, table, [small, big], { learningRate: 1, momentum: 0 }).params.get('w')!;
    for (let i = 0; i < 16; i++) expect(w[i]).toBeCloseTo(-0.1, 2);
    // A given reference scales both: each is brought to norm 0.8 (0.2 per coordinate).
    const up = outerStep(base, table, [small, big], { learningRate: 1, momentum: 0, reference: 0.8 }).params.get('w')!;
    for (let i = 0; i < 16; i++) expect(up[i]).toBeCloseTo(-0.2, 2);
  });

  it('keeps the base unchanged when nothing was aggregated, and accumulates momentum', () => {
    const base = new Map([['w', new Float32Array(16).fill(2)]]);
    expect(outerStep(base, table, [], { learningRate: 1, momentum: 0 }).params.get('w')).toEqual(base.get('w'));
    const u = Array.from({ length: 16 }, () => 0.2);
    const first = outerStep(base, table, [update(u)], { learningRate: 1, momentum: 0.5 });
    const second = outerStep(first.params, table, [update(u)], { learningRate: 1, momentum: 0.5 }, first.momentum);
    expect(second.params.get('w')![0]).toBeCloseTo(2 - 0.2 - 0.3, 2);
  });
});
