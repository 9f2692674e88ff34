import { describe, expect, it } from 'vitest';
import type { DatasetManifest, PinnedDataset } from '@crucible/data';
import { presets } from '@crucible/model';
import { runConfigSchema } from './runConfig.js';
import { runConfigFor } from './runDefaults.js';

/** The parts of a manifest a run configuration reads (the rest is the reader's business). */
const manifest = (o: Partial<DatasetManifest> = {}) =>
  ({ pageSize: 1024, split: { rule: 'every', valEvery: 10 }, trainPages: 900, valPages: 100, pageCount: 1000, vocabSize: 50257, tokenizer: { name: 'gpt2', version: 'x' }, ...o }) as DatasetManifest;

const pinned = (o: Partial<DatasetManifest> = {}): PinnedDataset => ({
  ref: {
    location: { endpoint: 'https://acct.r2.cloudflarestorage.com', region: 'auto', bucket: 'subnet-data', forcePathStyle: false, read: { accessKeyId: 'r', secretAccessKey: 's' } },
    name: 'web-gpt2',
    manifestHash: `0x${'ab'.repeat(32)}`,
  },
  manifest: manifest(o),
});

describe('a run configuration on a published dataset', () => {
  const run = runConfigFor({ netuid: 2, dataset: pinned(), model: 'tiny' });

  it('pins the dataset (location, read-only key, name, manifest hash) and plans pages over its training pages', () => {
    expect(run.dataset).toEqual(pinned().ref);
    expect(run.corpus).toEqual({ source: 'dataset:web-gpt2', pageSize: 1024, valEvery: 10, trainPages: 900 });
  });

  it('takes the model\'s vocabulary from the dataset\'s tokenizer, the shape from the preset', () => {
    expect(run.model).toEqual({ ...presets.tiny, vocabSize: 50257 });
    const bytes = runConfigFor({ netuid: 2, dataset: pinned({ vocabSize: 256, tokenizer: { name: 'bytes', version: '1' } }), model: 'tiny-gpt2' });
    expect(bytes.model).toEqual(presets.tiny); // a byte-level model leaves vocabSize out
  });

  it('refuses corpus settings that contradict the dataset (its pages were fixed when it was prepared)', () => {
    expect(() => runConfigFor({ netuid: 2, dataset: pinned(), overrides: { corpus: { pageSize: 4096 } } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/pageSize 4096 contradicts dataset web-gpt2 \(1024\)/) }),
    );
    expect(runConfigFor({ netuid: 2, dataset: pinned(), overrides: { corpus: { pageSize: 1024 } } }).corpus.pageSize).toBe(1024);
  });

  it('is refused when its corpus source does not name the pinned dataset, or names one that is not pinned', () => {
    expect(() => runConfigSchema.parse({ ...run, corpus: { ...run.corpus, source: 'sotu' } })).toThrow(/corpus source dataset:web-gpt2/);
    const { dataset: _dropped, ...unpinned } = run;
    expect(() => runConfigSchema.parse({ ...unpinned, model: presets.tiny })).toThrow(/does not pin/);
  });

  it('refuses a write key in the published location', () => {
    const location = { ...run.dataset!.location, write: { accessKeyId: 'w', secretAccessKey: 'w' } };
    expect(() => runConfigSchema.parse({ ...run, dataset: { ...run.dataset, location } })).toThrow(/write/);
  });
});

describe('a run configuration on the shipped corpus', () => {
  it('has no dataset and a byte-level model, as before', () => {
    const run = runConfigFor({ netuid: 1, trainPages: 1234 });
    expect(run.dataset).toBeUndefined();
    expect(run.corpus).toEqual({ source: 'sotu', pageSize: 4096, valEvery: 20, trainPages: 1234 });
    expect(run.model).toEqual(presets.tiny);
  });

  it('refuses a wide vocabulary without a dataset, and a configuration with neither dataset nor page count', () => {
    expect(() => runConfigFor({ netuid: 1, trainPages: 10, model: 'tiny-gpt2' })).toThrow(/needs a dataset tokenized for it/);
    expect(() => runConfigFor({ netuid: 1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('writes a byte vocabulary one way only (left out)', () => {
    const run = runConfigFor({ netuid: 1, trainPages: 10 });
    expect(() => runConfigSchema.parse({ ...run, model: { ...run.model, vocabSize: 256 } })).toThrow(/leaves vocabSize out/);
  });
});

describe('a run configuration\'s window', () => {
  it('reveals seal keys before the next window ends (a validator rates window w during window w + 1)', () => {
    const run = runConfigFor({ netuid: 2, dataset: pinned() });
    const window = (revealBlocks: number) => runConfigSchema.safeParse({ ...run, window: { ...run.window, blocksPerWindow: 10, revealBlocks } });
    expect(window(9).success).toBe(true);
    const refused = window(10);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['window', 'revealBlocks'], message: expect.stringMatching(/fewer than blocksPerWindow/) });
  });
});
