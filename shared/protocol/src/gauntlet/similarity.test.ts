import { describe, expect, it } from 'vitest';
import { isSameWork, similarity, type NormedUpdate } from './similarity.js';

function update(entries: Record<string, Array<[number, number]>>): NormedUpdate {
  const sparse = new Map(
    Object.entries(entries).map(([name, pairs]) => [name, { indices: Uint32Array.from(pairs.map((p) => p[0])), values: Float32Array.from(pairs.map((p) => p[1])) }]),
  );
  return { sparse, norm: Math.hypot(...Object.values(entries).flatMap((pairs) => pairs.map((p) => p[1]))) };
}

describe('how alike two updates are', () => {
  const a = update({ w: [[1, 1], [5, -2], [9, 0.5]], b: [[0, 3]] });
  const aScaled = update({ w: [[1, 2], [5, -4], [9, 1]], b: [[0, 6]] });
  const aNoisy = update({ w: [[1, -0.3], [5, 1.9], [9, -2]], b: [[0, 0.1]] });
  const other = update({ w: [[2, 1], [5, 2], [8, 0.5]], b: [[1, 3]] });

  it('measures cosine of the values over shared positions', () => {
    expect(similarity(a, a).cosine).toBeCloseTo(1);
    expect(similarity(a, aScaled).cosine).toBeCloseTo(1);
    expect(similarity(a, other).cosine).toBeCloseTo(-4 / Math.sqrt(14.25 * 14.25));
    expect(similarity(a, { sparse: new Map(), norm: 0 }).cosine).toBe(0);
  });

  it('measures the share of kept positions both kept, which noise on the values does not change', () => {
    expect(similarity(a, aNoisy).overlap).toBe(1);
    expect(similarity(a, aNoisy).cosine).toBeLessThan(0.5);
    expect(similarity(a, other).overlap).toBeCloseTo(0.25);
  });

  it('calls it the same work when either measure reaches its threshold', () => {
    const t = { copyThreshold: 0.95, overlapThreshold: 0.4 };
    expect(isSameWork(similarity(a, aScaled), t)).toBe(true);
    expect(isSameWork(similarity(a, aNoisy), t)).toBe(true);
    expect(isSameWork(similarity(a, other), t)).toBe(false);
  });
});
