import { describe, expect, it } from 'vitest';
import { scoreLosses } from './scoreLosses.js';

const base = { ownBefore: 4, randomBefore: 4 };

describe('scoreLosses (the Gauntlet score)', () => {
  it('scores the relative improvement on random data and marks trained-on-assigned-data', () => {
    const v = scoreLosses('h', 1, { ...base, ownAfter: 3.6, randomAfter: 3.8 });
    expect(v).toMatchObject({ status: 'scored', assignedDataIndicator: 1 });
    if (v.status !== 'scored') throw new Error();
    expect(v.ownImprovement).toBeCloseTo(0.1);
    expect(v.randomImprovement).toBeCloseTo(0.05);
    expect(v.score).toBeCloseTo(0.05);
  });

  it('gives −1 to an update that helps random data as much as the assigned pages (trained elsewhere)', () => {
    expect(scoreLosses('h', 1, { ...base, ownAfter: 3.8, randomAfter: 3.7 })).toMatchObject({ status: 'scored', assignedDataIndicator: -1 });
  });

  it('rejects updates that do not lower the loss on their own pages, and non-finite losses', () => {
    expect(scoreLosses('h', 1, { ...base, ownAfter: 4.2, randomAfter: 4.3 })).toMatchObject({ status: 'rejected', reason: 'not_improving' });
    expect(scoreLosses('h', 1, { ...base, ownAfter: Number.NaN, randomAfter: 3 })).toMatchObject({ status: 'rejected', reason: 'non_finite' });
    expect(scoreLosses('h', 1, { ...base, ownAfter: Infinity, randomAfter: 3 })).toMatchObject({ status: 'rejected', reason: 'non_finite' });
  });

  it('with a control, judges the assigned-data gap against the window aggregate on the same pages', () => {
    // Its own page is easy (everyone improves it a lot): beating random data there means nothing.
    const easyPage = { ...base, ownAfter: 3.4, randomAfter: 3.8 };
    const control = { ownBefore: 4, ownAfter: 3.4, randomBefore: 4, randomAfter: 3.8 };
    expect(scoreLosses('h', 1, easyPage)).toMatchObject({ assignedDataIndicator: 1 });
    expect(scoreLosses('h', 1, easyPage, undefined, control)).toMatchObject({ assignedDataIndicator: -1 });
    // Trained on it: beats the aggregate on its page by more than on random pages.
    expect(scoreLosses('h', 1, { ...base, ownAfter: 3.2, randomAfter: 3.8 }, undefined, control)).toMatchObject({ assignedDataIndicator: 1 });
  });
});
