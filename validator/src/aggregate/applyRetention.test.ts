import { describe, expect, it } from 'vitest';
import { checkpointKey, checkpointManifestKey, createMemoryStore, sealedUpdateKey } from '@crucible/storage';
import { applyRetention } from './aggregateWindow.js';

const hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

describe('retention in the aggregator\'s bucket', () => {
  it('keeps the newest N checkpoints\' parameters, every signed manifest, and the gradient objects of the last M windows', async () => {
    const store = createMemoryStore();
    const bytes = new Uint8Array([1, 2, 3]);
    for (let w = 1; w <= 6; w++) {
      await store.put(checkpointKey(w, 'params.safetensors'), bytes);
      await store.put(checkpointManifestKey(w), bytes);
      await store.put(sealedUpdateKey(w, hotkey), bytes);
    }
    await store.put('notes/readme.txt', bytes);
    const deleted = await applyRetention(store, 6, { keepCheckpoints: 2, snapshotEvery: 0, gradientWindows: 3 });
    const left = (await store.list('')).map((o) => o.key).sort();
    expect(left).toEqual(
      [
        ...[1, 2, 3, 4].map((w) => checkpointManifestKey(w)),
        checkpointKey(5, 'params.safetensors'),
        checkpointManifestKey(5),
        checkpointKey(6, 'params.safetensors'),
        checkpointManifestKey(6),
        sealedUpdateKey(3, hotkey),
        sealedUpdateKey(4, hotkey),
        sealedUpdateKey(5, hotkey),
        sealedUpdateKey(6, hotkey),
        'notes/readme.txt',
      ].sort(),
    );
    expect(deleted).toHaveLength(4 + 2);
  });

  it('keeps one snapshot of parameters per span of windows for good', async () => {
    const store = createMemoryStore();
    const bytes = new Uint8Array([1, 2, 3]);
    for (let w = 95; w <= 125; w += 5) {
      await store.put(checkpointKey(w, 'params.safetensors'), bytes);
      await store.put(checkpointManifestKey(w), bytes);
    }
    await applyRetention(store, 125, { keepCheckpoints: 2, snapshotEvery: 100, gradientWindows: 3 });
    const params = (await store.list('checkpoints/')).map((o) => o.key).filter((k) => k.endsWith('.safetensors'));
    expect(params.sort()).toEqual([95, 100, 120, 125].map((w) => checkpointKey(w, 'params.safetensors')).sort());
    expect((await store.list('checkpoints/')).filter((o) => o.key.endsWith('.crm'))).toHaveLength(7);
  });
});
