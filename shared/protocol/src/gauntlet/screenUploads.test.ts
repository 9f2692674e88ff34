import { describe, expect, it } from 'vitest';
import { screenUploads } from './screenUploads.js';
import type { NormedUpdate } from './similarity.js';

/** An update over 8 positions of one parameter: `positions` kept with the given values. */
function update(positions: number[], values: number[]): NormedUpdate {
  return { sparse: new Map([['w', { indices: Uint32Array.from(positions), values: Float32Array.from(values) }]]), norm: Math.hypot(...values) };
}
const upload = (hotkey: string, uid: number, u: NormedUpdate, window = 10) => ({ hotkey, uid, window, update: u });
const t = { copyThreshold: 0.95, overlapThreshold: 0.4, controlExclusion: 0.3 };

describe('screening uploads before evaluation', () => {
  it('blames the later window for the same work as an earlier one: a replay of its own, or a copy of another\'s', () => {
    const honest = upload('honest', 1, update([0, 1], [1, 2]));
    const replay = upload('replayer', 2, update([3, 4], [1, 1]));
    const copier = upload('copier', 3, update([5, 6], [2, -1]));
    const history = [
      { hotkey: 'replayer', window: 9, update: update([3, 4], [1, 1.1]) },
      { hotkey: 'honest', window: 8, update: update([5, 6], [2, -1]) },
    ];
    const s = screenUploads([honest, replay, copier], history, t);
    expect(s.kept.map((u) => u.hotkey)).toEqual(['honest']);
    expect(s.rejected.map((r) => [r.upload.hotkey, r.reason, r.detail.split(' (')[0]])).toEqual([
      ['replayer', 'copy', 'replay of its own window 9 update'],
      ['copier', 'copy', "copy of honest's window 8 update"],
    ]);
  });

  it('rejects every hotkey of the same work in one window (shared work earns nothing), and no one else', () => {
    const shared = [0, 1, 2, 3];
    const a = upload('sybil-a', 1, update(shared, [1, 2, 3, 4]));
    const b = upload('sybil-b', 2, update(shared, [1.1, 1.9, 3.2, 3.9]));
    const c = upload('honest', 3, update([4, 5, 6, 7], [1, 1, 1, 1]));
    const s = screenUploads([a, b, c], [], t);
    expect(s.kept.map((u) => u.hotkey)).toEqual(['honest']);
    expect(s.rejected.map((r) => r.upload.hotkey).sort()).toEqual(['sybil-a', 'sybil-b']);
  });

  it('reports the median norm as the scale reference, and rejects no update for its size', () => {
    const ups = [upload('a', 1, update([0], [1])), upload('b', 2, update([1], [1.2])), upload('c', 3, update([2], [0.9])), upload('big', 4, update([3], [50]))];
    const s = screenUploads(ups, [], t);
    expect(s.rejected).toEqual([]);
    expect(s.kept.map((u) => u.hotkey)).toEqual(['a', 'b', 'c', 'big']);
    expect(s.reference).toBeCloseTo(1);
  });

  it('lets no number of tiny updates get a full-size one rejected (they only move the reference)', () => {
    const honest = [upload('h1', 1, update([0], [5.5])), upload('h2', 2, update([1], [5.6]))];
    const tiny = [upload('t1', 3, update([2], [0.4])), upload('t2', 4, update([3], [0.5])), upload('t3', 5, update([4], [0.45]))];
    const s = screenUploads([...honest, ...tiny], [], t);
    expect(s.kept.map((u) => u.hotkey)).toEqual(['h1', 'h2', 't1', 't2', 't3']);
    expect(s.reference).toBeCloseTo(0.5);
  });

  it('keeps near-copies out of each other\'s leave-one-out control', () => {
    const a = upload('a', 1, update([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1, 1, 1]));
    const near = upload('near', 2, update([0, 1, 2, 9, 10, 11, 12, 13], [1, 1, 1, 1, 1, 1, 1, 1]));
    const far = upload('far', 3, update([20, 21, 22, 23, 24, 25, 26, 27], [1, 1, 1, 1, 1, 1, 1, 1]));
    const s = screenUploads([a, near, far], [], t);
    expect(s.kept).toHaveLength(3);
    expect([...s.controlExclusions.get('a')!]).toEqual(['near']);
    expect([...s.controlExclusions.get('far')!]).toEqual([]);
  });
});
