import { describe, expect, it } from 'vitest';
import { pinUpload } from './firstSeen.js';

describe('which upload a window counts, by when this validator first saw it', () => {
  it('counts the newest content first seen by the cutoff: a changed object is a new upload', () => {
    const r = pinUpload([{ contentHash: 'a', firstSeenAt: 100 }, { contentHash: 'b', firstSeenAt: 180 }, { contentHash: 'c', firstSeenAt: 260 }], 200);
    expect(r).toEqual({ status: 'on_time', pinned: { contentHash: 'b', firstSeenAt: 180 } });
  });

  it('calls content first seen only after the cutoff late, whatever the miner\'s server claims', () => {
    expect(pinUpload([{ contentHash: 'a', firstSeenAt: 201 }], 200)).toEqual({ status: 'late', firstSeenAt: 201 });
    expect(pinUpload([], 200)).toEqual({ status: 'missing' });
  });
});
