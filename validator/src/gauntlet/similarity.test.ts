import { describe, expect, it } from 'vitest';
import { cosineSimilarity, findCopies, type NormedUpdate } from './similarity.js';

function update(entries: Record<string, Array<[number, number]>>): NormedUpdate {
  const sparse = new Map(
    Object.entries(entries).map(([name, pairs]) => [name, { indices: Uint32Array.from(pairs.map((p) => p[0])), values: Float32Array.from(pairs.map((p) => p[1])) }]),
  );
  return { sparse, norm: Math.hypot(...Object.values(entries).flatMap((pairs) => pairs.map((p) => p[1]))) };
}

describe('copy detection', () => {
  const a = update({ w: [[1, 1], [5, -2], [9, 0.5]], b: [[0, 3]] });
  const aScaled = update({ w: [[1, 2], [5, -4], [9, 1]], b: [[0, 6]] });
  const other = update({ w: [[2, 1], [5, 2], [8, 0.5]], b: [[1, 3]] });

  it('measures cosine similarity over sparse positions', () => {
    expect(cosineSimilarity(a, a)).toBeCloseTo(1);
    expect(cosineSimilarity(a, aScaled)).toBeCloseTo(1);
    expect(cosineSimilarity(a, other)).toBeCloseTo(-4 / Math.sqrt(14.25 * 14.25));
    expect(cosineSimilarity(a, { sparse: new Map(), norm: 0 })).toBe(0);
  });

  it('blames the later uploader, in this window or against kept earlier windows (replays)', () => {
    const current = [
      { hotkey: 'honest', window: 5, uploadedAt: 100, update: a },
      { hotkey: 'copycat', window: 5, uploadedAt: 200, update: aScaled },
      { hotkey: 'other', window: 5, uploadedAt: 150, update: other },
      { hotkey: 'replayer', window: 5, uploadedAt: 50, update: other },
    ];
    const history = [{ hotkey: 'other', window: 4, uploadedAt: 10, update: other }];
    const findings = findCopies(current, history, 0.95);
    expect(findings.map((f) => [f.copier, f.original, f.originalWindow])).toEqual([
      ['copycat', 'honest', 5],
      ['other', 'other', 4],
      ['replayer', 'other', 4],
    ]);
  });
});
