import { describe, expect, it } from 'vitest';
import { screenUploads } from './screenUploads.js';
import type { NormedUpdate } from './similarity.js';

function update(values: number[]): NormedUpdate {
  return { sparse: new Map([['w', { indices: Uint32Array.from(values.map((_, i) => i)), values: Float32Array.from(values) }]]), norm: Math.hypot(...values) };
}

function upload(hotkey: string, values: number[], uploadedAt: number, window = 10) {
  return { hotkey, window, uploadedAt, update: update(values) };
}

describe('screening uploads before evaluation', () => {
  it('blames the later of two identical uploads, and a replay of an own earlier update', () => {
    const a = upload('a', [1, 2, 3, 0], 1000);
    const copy = upload('c', [1, 2, 3, 0], 2000);
    const b = upload('b', [0, 1, -2, 4], 1500);
    const r = upload('r', [5, 0, 1, 1], 1200);
    const history = [{ hotkey: 'r', window: 8, uploadedAt: 1, update: update([5, 0, 1, 1]) }];
    const s = screenUploads([a, copy, b, r], history, { copyThreshold: 0.95, oversizeFactor: 10 });
    expect(s.kept.map((u) => u.hotkey)).toEqual(['a', 'b']);
    expect(s.rejected.map((x) => [x.upload.hotkey, x.reason])).toEqual([
      ['c', 'copy'],
      ['r', 'copy'],
    ]);
    expect(s.rejected[1]!.detail).toMatch(/replay of its own window 8/);
  });

  it('rejects updates far above the median norm and reports the median used for clipping', () => {
    const ups = [upload('a', [1, 0, 0, 0], 1), upload('b', [0, 1.2, 0, 0], 2), upload('c', [0, 0, 0.9, 0], 3), upload('big', [0, 0, 0, 50], 4)];
    const s = screenUploads(ups, [], { copyThreshold: 0.95, oversizeFactor: 5 });
    expect(s.rejected.map((x) => [x.upload.hotkey, x.reason])).toEqual([['big', 'oversized']]);
    expect(s.medianNorm).toBeCloseTo(1);
  });
});
