import { describe, expect, it } from 'vitest';
import { presets } from '@crucible/model';
import { datasetRefSchema } from './datasetRef.js';
import type { DatasetManifest } from './manifest.js';
import { checkDatasetFitsModel } from './openDataset.js';

describe('dataset references', () => {
  const ref = {
    location: { endpoint: 'https://acct.r2.cloudflarestorage.com', bucket: 'subnet-data', read: { accessKeyId: 'r', secretAccessKey: 's' } },
    name: 'fineweb-gpt2',
    manifestHash: `0x${'0f'.repeat(32)}`,
  };

  it('name a bucket with read credentials only, a dataset name and a manifest hash', () => {
    expect(datasetRefSchema.parse(ref)).toEqual({ ...ref, location: { ...ref.location, region: 'auto', forcePathStyle: false } });
    expect(() => datasetRefSchema.parse({ ...ref, location: { ...ref.location, write: ref.location.read } })).toThrow(/write/);
    expect(() => datasetRefSchema.parse({ ...ref, name: '../x' })).toThrow();
    expect(() => datasetRefSchema.parse({ ...ref, manifestHash: '0xABC' })).toThrow(/blake2b-256/);
  });
});

describe('checkDatasetFitsModel', () => {
  const manifest = { vocabSize: 50257, pageSize: 4096, tokenizer: { name: 'gpt2', version: 'x' } } as DatasetManifest;

  it('accepts a model over the same vocabulary whose windows fit in a page', () => {
    expect(() => checkDatasetFitsModel(manifest, presets['small-gpt2'])).not.toThrow();
  });

  it('refuses another vocabulary or pages shorter than a window, with CONFIG_INVALID', () => {
    expect(() => checkDatasetFitsModel(manifest, presets.small)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/gpt2 \(50257 ids\); the model has 256/) }));
    expect(() => checkDatasetFitsModel({ ...manifest, pageSize: 128 }, presets['small-gpt2'])).toThrow(/shorter than the model's blockSize \+ 1 = 129/);
  });
});
