import { isCrucibleError } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { drawPages } from './drawPages.js';
import { createPrng } from './prng.js';

describe('drawPages', () => {
  it('is a partial Fisher–Yates shuffle driven by createPrng(seed)', () => {
    const prng = createPrng('seed-7');
    const pool = [...Array(10).keys()];
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) {
      const j = i + prng.nextInt(10 - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      expected.push(pool[i]!);
    }
    expect(drawPages('seed-7', 4, 10)).toEqual(expected);
  });

  it('is deterministic and returns distinct in-range pages', () => {
    const a = drawPages(1, 50, 2000);
    expect(drawPages(1, 50, 2000)).toEqual(a);
    expect(new Set(a).size).toBe(50);
    expect(a.every((p) => Number.isInteger(p) && p >= 0 && p < 2000)).toBe(true);
    expect(drawPages(2, 50, 2000)).not.toEqual(a);
  });

  it('gives a prefix for a smaller count, and a permutation when count = totalPages', () => {
    expect(drawPages(1, 30, 100).slice(0, 10)).toEqual(drawPages(1, 10, 100));
    expect([...drawPages(1, 100, 100)].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect(drawPages(1, 0, 100)).toEqual([]);
  });

  it('rejects count > totalPages and malformed arguments with DATA', () => {
    for (const call of [() => drawPages(1, 11, 10), () => drawPages(1, 1, 0), () => drawPages(1, 1.5, 10)]) {
      let caught: unknown;
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(isCrucibleError(caught, 'DATA')).toBe(true);
    }
  });
});
