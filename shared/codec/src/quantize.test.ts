import { describe, expect, it } from 'vitest';
import { levels, quantize } from './quantize.js';
import { seededRandom } from './random.js';

function decoded(values: Float32Array, bits: number, range = 6): { out: Float32Array; codes: Uint8Array; scale: number } {
  const q = quantize(values, bits, range);
  const level = levels(q.lut, q.shift);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = level[q.codes[i]!]!;
  let mean = 0;
  for (const v of values) mean += v / values.length;
  let ss = 0;
  for (const v of values) ss += (v - q.shift) ** 2;
  return { out, codes: q.codes, scale: (range * Math.sqrt(ss / (values.length - 1))) / (1 << bits) };
}

describe('quantize (Templar statistical quantiser)', () => {
  const rng = seededRandom(7);
  const values = rng.normals(5000, 0.01);

  it('uses scale = 1.5σ at 2 bits and puts |c| < 0.5·scale in the middle bin', () => {
    const { codes, scale } = decoded(values, 2);
    const q = quantize(values, 2, 6);
    for (let i = 0; i < values.length; i++) {
      const c = values[i]! - q.shift;
      const expected = Math.min(3, Math.max(0, Math.floor(c / scale + 2 + 0.5)));
      expect(codes[i]).toBe(expected);
    }
  });

  for (const bits of [1, 2, 3, 8]) {
    it(`keeps every error within its bin's spread, and within scale for interior bins (${bits} bits)`, () => {
      const { out, codes, scale } = decoded(values, bits);
      const bins = 1 << bits;
      const lo = new Float64Array(bins).fill(Infinity);
      const hi = new Float64Array(bins).fill(-Infinity);
      for (let i = 0; i < values.length; i++) {
        lo[codes[i]!] = Math.min(lo[codes[i]!]!, values[i]!);
        hi[codes[i]!] = Math.max(hi[codes[i]!]!, values[i]!);
      }
      const eps = 1e-6 * 0.01;
      for (let i = 0; i < values.length; i++) {
        const b = codes[i]!;
        const err = Math.abs(values[i]! - out[i]!);
        expect(err).toBeLessThanOrEqual(hi[b]! - lo[b]! + eps);
        if (b > 0 && b < bins - 1) expect(err).toBeLessThanOrEqual(scale + eps);
      }
    });
  }

  it('preserves the sum of the values (each bin decodes to its mean)', () => {
    const { out } = decoded(values, 2);
    let a = 0;
    let b = 0;
    for (let i = 0; i < values.length; i++) {
      a += values[i]!;
      b += out[i]!;
    }
    expect(Math.abs(a - b)).toBeLessThan(1e-5);
  });

  it('decodes a single value or identical values exactly', () => {
    expect([...decoded(Float32Array.of(0.25), 2).out]).toEqual([0.25]);
    expect([...decoded(new Float32Array(10).fill(-3), 2).out]).toEqual(Array(10).fill(-3));
  });
});
