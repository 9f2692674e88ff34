import { describe, expect, it } from 'vitest';
import { checkpointParamsToDelete, MIN_KEEP_CHECKPOINTS } from './retention.js';

describe('which checkpoint parameters an aggregator may delete', () => {
  it('keeps the newest K and the first checkpoint of every snapshot span; manifests are not its business', () => {
    const windows = [3, 5, 98, 99, 100, 104, 150, 201, 202, 203, 204, 205, 206];
    expect(checkpointParamsToDelete(windows, windows, { keepCheckpoints: 5, snapshotEvery: 100 })).toEqual([5, 98, 99, 104, 150]);
  });

  it('keeps a span\'s snapshot once the others are gone (the choice is stable), and never deletes what has no parameters', () => {
    const windows = [3, 5, 98, 99, 100, 104, 150, 201, 202, 203, 204, 205, 206, 207];
    expect(checkpointParamsToDelete(windows, [3, 100, 202, 203, 204, 205, 206, 207], { keepCheckpoints: 5, snapshotEvery: 100 })).toEqual([202]);
  });

  it('without snapshots keeps only the newest K; never fewer than one', () => {
    expect(checkpointParamsToDelete([1, 2, 3, 4], [1, 2, 3, 4], { keepCheckpoints: 2, snapshotEvery: 0 })).toEqual([1, 2]);
    expect(checkpointParamsToDelete([1, 2], [1, 2], { keepCheckpoints: 0, snapshotEvery: 0 })).toEqual([1]);
    expect(MIN_KEEP_CHECKPOINTS).toBeGreaterThanOrEqual(4);
  });
});
