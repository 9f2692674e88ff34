import { describe, expect, it } from 'vitest';
import { aggregateGradients, aggregateSparse } from './aggregate.js';
import { parseCodecConfig } from './config.js';
import { compressTensor, decodeTensor } from './compress.js';
import { seededRandom } from './random.js';

const sparse = (indices: number[], values: number[]) => ({ indices: Uint32Array.from(indices), values: Float32Array.from(values) });

describe('aggregateSparse', () => {
  it('averages each coordinate over the peers that sent it, not over all peers', () => {
    const a = sparse([0, 1], [1, 1]);
    const b = sparse([1, 2], [1, 1]);
    const c = sparse([3, 4], [1, 1]);
    const { dense } = aggregateSparse([a, b, c], 6);
    expect([...dense]).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('scales every peer above the median norm down to the median norm', () => {
    const small = sparse([0], [3]); // norm 3
    const mid = sparse([1], [4]); // norm 4 (the median)
    const big = sparse([2, 3], [30, 40]); // norm 50 → scaled by 4/50
    const { dense } = aggregateSparse([small, mid, big], 4);
    expect(dense[0]).toBeCloseTo(3);
    expect(dense[1]).toBeCloseTo(4);
    expect(dense[2]).toBeCloseTo(2.4);
    expect(dense[3]).toBeCloseTo(3.2);
  });

  it('takes the lower middle norm for an even number of peers and leaves a zero update alone', () => {
    const { dense } = aggregateSparse([sparse([0], [1]), sparse([0], [0]), sparse([1], [2]), sparse([2], [8])], 3);
    // norms 1, 0, 2, 8 → median 1
    expect([...dense]).toEqual([0.5, 1, 1]);
  });

  it('skips a parameter with a non-finite contribution', () => {
    const r = aggregateSparse([sparse([0], [1]), sparse([1], [Number.NaN])], 2);
    expect(r.skipped).toBe(true);
    expect([...r.dense]).toEqual([0, 0]);
  });
});

describe('aggregateGradients', () => {
  it('aggregates every parameter of the table from several peers', () => {
    const config = parseCodecConfig({ tileSize: 4, chunkSize: 16, topK: 16 });
    const params = [
      { name: 'w', shape: [4, 4] },
      { name: 'b', shape: [8] },
    ];
    const rng = seededRandom(3);
    // k = whole chunk: every peer sends every coordinate, so the result is the plain (clipped) mean.
    const peers = [0, 1].map(() => ({ config, tensors: params.map((p) => compressTensor(p.name, p.shape, rng.normals(p.shape.reduce((a, b) => a * b)), config)) }));
    const { updates, skipped } = aggregateGradients(peers, params);
    expect(skipped).toEqual([]);
    const w0 = decodeTensor(peers[0]!.tensors[0]!, config);
    const w1 = decodeTensor(peers[1]!.tensors[0]!, config);
    const n0 = Math.hypot(...w0);
    const n1 = Math.hypot(...w1);
    const m = Math.min(n0, n1);
    updates.get('w')!.forEach((v, i) => expect(v).toBeCloseTo((w0[i]! * Math.min(1, m / n0) + w1[i]! * Math.min(1, m / n1)) / 2, 5));
    expect(updates.get('b')!.length).toBe(8);
  });
});
