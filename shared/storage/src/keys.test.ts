import { describe, expect, it } from 'vitest';
import {
  checkpointKey,
  checkpointManifestKey,
  checkpointsWindowPrefix,
  gradientKey,
  gradientsWindowPrefix,
  hotkeyOfGradientKey,
  datasetManifestKey,
  datasetPrefix,
  datasetShardKey,
  parseDatasetKey,
  parseKey,
  sealedUpdateKey,
  sealKeyKey,
} from './keys.js';

const hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

describe('storage keys', () => {
  it('are laid out as the architecture fixes them', () => {
    expect({
      gradient: gradientKey(42, hotkey),
      sealed: sealedUpdateKey(42, hotkey),
      sealKey: sealKeyKey(42, hotkey),
      gradientOtherExt: gradientKey(42, hotkey, 'json'),
      gradientsWindow: gradientsWindowPrefix(42),
      checkpoint: checkpointKey(7, 'model.bin'),
      manifest: checkpointManifestKey(7),
      checkpointsWindow: checkpointsWindowPrefix(0),
    }).toMatchInlineSnapshot(`
      {
        "checkpoint": "checkpoints/7/model.bin",
        "checkpointsWindow": "checkpoints/0/",
        "gradient": "gradients/42/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.crs",
        "gradientOtherExt": "gradients/42/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.json",
        "gradientsWindow": "gradients/42/",
        "manifest": "checkpoints/7/manifest.crm",
        "sealKey": "gradients/42/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.key",
        "sealed": "gradients/42/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.crs",
      }
    `);
  });

  it('parse back to area, window and name', () => {
    expect(parseKey(gradientKey(9, hotkey))).toEqual({ area: 'gradients', window: 9, name: `${hotkey}.crs` });
    expect(hotkeyOfGradientKey(gradientKey(9, hotkey))).toBe(hotkey);
    expect(parseKey('gradients/09/x.crg')).toBeUndefined();
    expect(parseKey('other/1/x')).toBeUndefined();
    expect(parseKey('gradients/1/a/b')).toBeUndefined();
  });

  it('refuse windows and names that would escape their folder', () => {
    expect(() => gradientKey(-1, hotkey)).toThrow(expect.objectContaining({ code: 'STORAGE' }));
    expect(() => gradientKey(1.5, hotkey)).toThrow(expect.objectContaining({ code: 'STORAGE' }));
    expect(() => gradientKey(1, '../x')).toThrow(expect.objectContaining({ code: 'STORAGE' }));
    expect(() => checkpointKey(1, '..')).toThrow(expect.objectContaining({ code: 'STORAGE' }));
    expect(() => checkpointKey(1, 'a/b')).toThrow(expect.objectContaining({ code: 'STORAGE' }));
  });

  it('lay out a dataset as a manifest beside its numbered shards, and parse back', () => {
    expect({ prefix: datasetPrefix('sotu-gpt2'), manifest: datasetManifestKey('sotu-gpt2'), shard: datasetShardKey('sotu-gpt2', 12) }).toMatchInlineSnapshot(`
      {
        "manifest": "datasets/sotu-gpt2/manifest.json",
        "prefix": "datasets/sotu-gpt2/",
        "shard": "datasets/sotu-gpt2/shards/12.crds",
      }
    `);
    expect(parseDatasetKey(datasetManifestKey('web.v2'))).toEqual({ name: 'web.v2', file: 'manifest' });
    expect(parseDatasetKey(datasetShardKey('web', 0))).toEqual({ name: 'web', file: 'shard', shard: 0 });
    expect(parseDatasetKey('datasets/web/shards/01.crds')).toBeUndefined();
    expect(parseDatasetKey('datasets/../manifest.json')).toBeUndefined();
    expect(parseKey(datasetManifestKey('web'))).toBeUndefined();
    expect(() => datasetPrefix('a/b')).toThrow(expect.objectContaining({ code: 'STORAGE' }));
    expect(() => datasetShardKey('web', -1)).toThrow(/shard must be a non-negative integer/);
  });
});
