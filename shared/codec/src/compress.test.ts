import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { parseCodecConfig } from './config.js';
import { compressTensor, decodeTensor, decompressTensor } from './compress.js';
import { chunkLayout, globalIndex } from './layout.js';
import { seededRandom } from './random.js';

describe('compressTensor', () => {
  const config = parseCodecConfig();

  it('keeps exactly the k largest magnitudes of every tile, indices ascending', () => {
    const shape = [70, 130];
    const values = seededRandom(1).normals(70 * 130);
    const c = compressTensor('w', shape, values, config);
    const layout = chunkLayout(shape, config);
    for (let j = 0; j < layout.chunks; j++) {
      const len = layout.length[j]!;
      const mags = Array.from({ length: len }, (_, l) => Math.abs(values[globalIndex(layout, j, l)]!));
      const k = layout.k[j]!;
      const threshold = [...mags].sort((a, b) => b - a)[k - 1]!;
      const chosen = [...c.indices.subarray(layout.kOffset[j], layout.kOffset[j + 1])];
      expect(chosen).toEqual([...chosen].sort((a, b) => a - b));
      expect(new Set(chosen).size).toBe(k);
      for (const l of chosen) expect(mags[l]).toBeGreaterThanOrEqual(threshold);
    }
  });

  it('selects exactly what a full sort would (ties to the lower index) on smooth, tied, constant and sparse tiles', () => {
    const rng = seededRandom(8);
    const makers: Record<string, (i: number) => number> = {
      normal: () => rng.normal(),
      fewLevels: () => rng.int(5) - 2,
      constant: () => 0.5,
      mostlyZero: () => (rng.int(100) === 0 ? rng.normal() : 0),
      heavyTail: () => rng.normal() ** 5,
      tiedAtTop: () => (rng.int(30) === 0 ? 2 : rng.normal() * 0.1),
    };
    for (const [kind, make] of Object.entries(makers)) {
      const shape = [128, 192];
      const values = Float32Array.from({ length: 128 * 192 }, (_, i) => make(i));
      const c = compressTensor('w', shape, values, config);
      const layout = chunkLayout(shape, config);
      for (let j = 0; j < layout.chunks; j++) {
        const len = layout.length[j]!;
        const order = Array.from({ length: len }, (_, l) => l).sort(
          (a, b) => Math.abs(values[globalIndex(layout, j, b)]!) - Math.abs(values[globalIndex(layout, j, a)]!) || a - b,
        );
        const expected = order.slice(0, layout.k[j]!).sort((a, b) => a - b);
        expect([...c.indices.subarray(layout.kOffset[j], layout.kOffset[j + 1])], `${kind} tile ${j}`).toEqual(expected);
      }
    }
  });

  it('breaks ties towards lower indices, so equal inputs give equal outputs', () => {
    const c = compressTensor('b', [100], new Float32Array(100).fill(1), parseCodecConfig({ chunkSize: 50, topK: 5 }));
    expect([...c.indices]).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });

  it('round-trips: kept positions carry their quantised values and everything else decodes to 0', () => {
    const shape = [64, 96];
    const values = seededRandom(2).normals(64 * 96);
    const c8 = parseCodecConfig({ bits: 8, topK: 64 });
    const dense = decodeTensor(compressTensor('w', shape, values, c8), c8);
    const sparse = decompressTensor(compressTensor('w', shape, values, c8), c8);
    const kept = new Set(sparse.indices);
    expect(kept.size).toBe(64 + 32);
    for (let i = 0; i < dense.length; i++) {
      if (kept.has(i)) expect(Math.abs(dense[i]! - values[i]!)).toBeLessThan(0.2);
      else expect(dense[i]).toBe(0);
    }
  });

  it('with k equal to the whole chunk, 8 bits and a ±6σ range it reproduces the tensor within one bin width', () => {
    const cfg = parseCodecConfig({ tileSize: 8, chunkSize: 64, topK: 64, bits: 8, range: 12 });
    const values = seededRandom(3).normals(24 * 40);
    const dense = decodeTensor(compressTensor('w', [24, 40], values, cfg), cfg);
    let err = 0;
    for (let i = 0; i < values.length; i++) err = Math.max(err, Math.abs(dense[i]! - values[i]!));
    expect(err).toBeLessThan((12 * 1.1) / 256); // scale = 12σ/256, σ ≈ 1
  });

  it('refuses non-finite input and a wrong length with CODEC', () => {
    const bad = new Float32Array(16);
    bad[3] = Number.NaN;
    expect(() => compressTensor('w', [16], bad, config)).toThrow(expect.objectContaining({ code: 'CODEC' }));
    bad[3] = Number.POSITIVE_INFINITY;
    expect(() => compressTensor('w', [16], bad, config)).toThrow(expect.objectContaining({ code: 'CODEC' }));
    try {
      compressTensor('w', [4, 4], new Float32Array(15), config);
      expect.unreachable();
    } catch (e) {
      expect(isCrucibleError(e, 'CODEC')).toBe(true);
    }
  });
});
