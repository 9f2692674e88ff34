import { isCrucibleError } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { assignPages } from './assignPages.js';
import { deriveSeed } from './deriveSeed.js';
import { createPrng } from './prng.js';

const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const bob = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

describe('assignPages', () => {
  it('follows the documented derivation (seed string, window, hotkey, totalPages → partial Fisher–Yates)', () => {
    const prng = createPrng(deriveSeed('crucible-assign-pages-v1', '7', 3, alice, 10));
    const pool = [...Array(10).keys()];
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) {
      const j = i + prng.nextInt(10 - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      expected.push(pool[i]!);
    }
    expect(assignPages(7, 3, alice, 4, 10)).toEqual(expected);
    expect(assignPages('7', 3, alice, 4, 10)).toEqual(expected);
  });

  it('is deterministic and returns distinct in-range pages', () => {
    const a = assignPages(1, 42, alice, 50, 2000);
    expect(assignPages(1, 42, alice, 50, 2000)).toEqual(a);
    expect(new Set(a).size).toBe(50);
    expect(a.every((p) => Number.isInteger(p) && p >= 0 && p < 2000)).toBe(true);
  });

  it('differs across hotkeys, windows and seeds', () => {
    const a = assignPages(1, 42, alice, 20, 2000);
    expect(assignPages(1, 42, bob, 20, 2000)).not.toEqual(a);
    expect(assignPages(1, 43, alice, 20, 2000)).not.toEqual(a);
    expect(assignPages(2, 42, alice, 20, 2000)).not.toEqual(a);
  });

  it('gives a prefix for a smaller count, and a permutation when count = totalPages', () => {
    expect(assignPages(1, 5, alice, 30, 100).slice(0, 10)).toEqual(assignPages(1, 5, alice, 10, 100));
    expect([...assignPages(1, 5, alice, 100, 100)].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect(assignPages(1, 5, alice, 0, 100)).toEqual([]);
  });

  it('rejects count > totalPages and malformed arguments with DATA', () => {
    for (const call of [
      () => assignPages(1, 0, alice, 11, 10),
      () => assignPages(1, -1, alice, 1, 10),
      () => assignPages(1, 0, alice, 1, 0),
      () => assignPages(1, 0, alice, 1.5, 10),
    ]) {
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
