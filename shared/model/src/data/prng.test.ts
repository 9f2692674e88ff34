import { describe, expect, it } from 'vitest';
import { createPrng, Prng, seedBytes } from './prng.js';

describe('Prng (xoshiro128**)', () => {
  it('reproduces the reference output sequence from state {1, 2, 3, 4}', () => {
    const prng = new Prng(1, 2, 3, 4);
    expect(Array.from({ length: 6 }, () => prng.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('is a pure function of its seed, and 42 and "42" are the same seed', () => {
    const draw = (seed: string | number | Uint8Array) => {
      const p = createPrng(seed);
      return Array.from({ length: 8 }, () => p.nextUint32());
    };
    expect(draw(42)).toEqual(draw('42'));
    expect(draw('42')).toEqual(draw(new TextEncoder().encode('42')));
    expect(draw(42)).not.toEqual(draw(43));
    expect(() => seedBytes(-1)).toThrow(/non-negative/);
    expect(() => seedBytes(1.5)).toThrow(/non-negative/);
  });

  it('draws unbiased integers in range and floats in [0, 1)', () => {
    const p = createPrng('range');
    const counts = new Array<number>(3).fill(0);
    for (let i = 0; i < 30_000; i++) {
      const k = p.nextInt(3);
      counts[k] = counts[k]! + 1;
      const f = p.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
    }
    // Each count is Binomial(30000, 1/3): sd ≈ 82, so ±600 is > 7 sd.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    expect(p.nextInt(1)).toBe(0);
    expect(() => p.nextInt(0)).toThrow();
  });

  it('produces standard normals (mean ≈ 0, variance ≈ 1) and fills tensors with a given std', () => {
    const p = createPrng('normal');
    const n = 20_000;
    const xs = Array.from({ length: n }, () => p.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const w = createPrng('init').fillNormal(new Float32Array(10_000), 0.02);
    const std = Math.sqrt(w.reduce((a, b) => a + b * b, 0) / w.length);
    expect(Math.abs(std - 0.02)).toBeLessThan(0.001);
    expect(createPrng('init').fillNormal(new Float32Array(10_000), 0.02)).toEqual(w);
  });
});
