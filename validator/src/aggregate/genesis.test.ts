import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@crucible/core';
import type { PinnedDataset } from '@crucible/data';
import { presets } from '@crucible/model';
import { genesisConfigSchema } from '../config.js';
import { testStorage, tinyDataset } from '../testing/fixtures.js';
import { genesisRunConfig } from './genesis.js';

/** `crucible-validator genesis` on a published dataset: flags in, a run configuration that pins it out. */
let storage: ReturnType<typeof testStorage>;
let dataset: PinnedDataset;

beforeAll(async () => {
  storage = testStorage('genesis-ds');
  dataset = await tinyDataset(storage, 'owner-text');
});

const flags = (extra: string[] = []) => [
  '--dataset.name', 'owner-text',
  '--dataset.endpoint', storage.endpoint,
  '--dataset.bucket', storage.bucket,
  '--dataset.read.access-key-id', storage.read.accessKeyId,
  '--dataset.read.secret-access-key', storage.read.secretAccessKey,
  ...extra,
];

const genesisConfig = (argv: string[]) => loadConfig(genesisConfigSchema, { argv, env: {} }).config;

describe('genesis on a published dataset', () => {
  it('pins the manifest it reads with the read-only key; pages and vocabulary come from the dataset', async () => {
    const run = await genesisRunConfig(genesisConfig(flags(['--netuid', '4', '--preset', 'tiny', '--dataset.manifest-hash', dataset.ref.manifestHash])));
    expect(run.dataset).toEqual({ ...dataset.ref, location: { ...dataset.ref.location, region: 'auto' } });
    expect(run.corpus).toEqual({ source: 'dataset:owner-text', pageSize: 256, valEvery: 20, trainPages: dataset.manifest.trainPages });
    expect(run.model).toEqual(presets.tiny); // a byte-level dataset: the byte vocabulary
    expect(JSON.stringify(run)).not.toContain('write');
  });

  it('refuses a manifest other than the hash given, and flags that contradict the dataset', async () => {
    await expect(genesisRunConfig(genesisConfig(flags(['--dataset.manifest-hash', `0x${'77'.repeat(32)}`])))).rejects.toThrow(expect.objectContaining({ code: 'DATA_CORRUPT' }));
    await expect(genesisRunConfig(genesisConfig(flags(['--page-size', '4096'])))).rejects.toThrow(/pageSize 4096 contradicts dataset owner-text \(256\)/);
    await expect(genesisRunConfig(genesisConfig(flags(['--corpus', 'sotu'])))).rejects.toThrow(/give one/);
    await expect(genesisRunConfig(genesisConfig(flags(['--preset', 'tiny-gpt2'])))).resolves.toMatchObject({ model: presets.tiny }); // the vocabulary follows the dataset
  });

  it('without --dataset.name trains on the corpus loaded whole, as before', async () => {
    const run = await genesisRunConfig(genesisConfig(['--page-size', '256']));
    expect(run.dataset).toBeUndefined();
    expect(run.corpus).toMatchObject({ source: 'sotu', pageSize: 256 });
  });
});
