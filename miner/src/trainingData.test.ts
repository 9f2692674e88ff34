import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@crucible/core';
import { prepareDataset, type PinnedDataset } from '@crucible/data';
import { byteTokenizer, loadSotuCorpus, type Corpus } from '@crucible/model';
import { runConfigFor, trainingBatchSeed, type RunConfig } from '@crucible/protocol';
import { bucketConfigSchema, createS3Store, datasetShardKey, type S3Store } from '@crucible/storage';
import { StateStore } from './stateStore.js';
import { TrainingData } from './trainingData.js';
import { TrainingEngine } from './trainingEngine.js';

/**
 * The miner's data source on a run that names a published dataset: only the window's pages are
 * fetched, into a bounded cache under the state folder, and the batches are the ones the corpus of the
 * same text gives (so validators, which redraw them, agree).
 */
const services = inject('services' as never) as { s3Endpoint: string; s3Region: string; s3AccessKeyId: string; s3SecretAccessKey: string };
const logger = createLogger({ name: 'test', level: 'error' });
const settings = { pageSize: 1024, valEvery: 20, shardPages: 512 };
let store: S3Store;
let work: string;
let corpus: Corpus;
let dataset: PinnedDataset;
let corpusRun: RunConfig;
let datasetRun: RunConfig;

beforeAll(async () => {
  const key = { accessKeyId: services.s3AccessKeyId, secretAccessKey: services.s3SecretAccessKey };
  const bucket = `miner-data-${randomBytes(4).toString('hex')}`;
  store = createS3Store(bucketConfigSchema.parse({ endpoint: services.s3Endpoint, region: services.s3Region, bucket, read: key, write: key, forcePathStyle: true }), { access: 'write' });
  await store.ensureBucket();
  const prepared = await prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name: 'sotu-1k', ...settings });
  dataset = { ref: { location: { endpoint: services.s3Endpoint, region: services.s3Region, bucket, forcePathStyle: true, read: { ...key } }, name: 'sotu-1k', manifestHash: prepared.manifestHash }, manifest: prepared.manifest };
  corpus = await loadSotuCorpus({ pageSize: settings.pageSize, valEvery: settings.valEvery });
  const overrides = { window: { pagesPerMiner: 3 }, inner: { steps: 4, batchSize: 4 } };
  corpusRun = runConfigFor({ netuid: 1, trainPages: corpus.trainPageCount, model: 'tiny', overrides: { ...overrides, corpus: { pageSize: settings.pageSize } } });
  datasetRun = runConfigFor({ netuid: 1, dataset, model: 'tiny', overrides });
  work = await mkdtemp(join(tmpdir(), 'crucible-miner-data-'));
});

afterAll(async () => {
  await store.delete((await store.list('')).map((o) => o.key));
  store.close();
  await rm(work, { recursive: true, force: true });
});

const seeds = (n: number) => Array.from({ length: n }, (_, i) => trainingBatchSeed(`0x${'05'.repeat(32)}`, 3, 'miner-x', i));

describe('the miner\'s training data on a published dataset', () => {
  it('draws a window\'s batches exactly as the corpus of the same text does', async () => {
    const data = await TrainingData.open(datasetRun, { stateDir: join(work, 'a'), cacheBytes: 1 << 20, logger });
    try {
      const pages = [12, 4000, 77];
      const window = await data.windowPages(pages);
      for (const seed of seeds(3)) expect(window.trainBatch(pages, 4, 64, seed)).toEqual(corpus.trainBatch(pages, 4, 64, seed));
      expect(await data.batches(pages, seeds(4), 4, 64)).toEqual(seeds(4).map((s) => corpus.trainBatch(pages, 4, 64, s)));
      expect(() => window.trainBatch([13], 4, 64, seeds(1)[0]!)).toThrow(/not one of this window's pages/);
    } finally {
      await data.close();
    }
  });

  it('fetches only the assigned pages (and their shards\' indexes) into the cache under the state folder; prefetch fills it ahead', async () => {
    const stateDir = join(work, 'b');
    const data = await TrainingData.open(datasetRun, { stateDir, cacheBytes: 1 << 20, logger });
    try {
      await data.windowPages([1, 2]);
      expect(data.source.cacheUse().entries).toBe(3); // two pages of shard 0 and its index
      expect(await readdir(join(stateDir, 'datasets'))).toEqual(['slot-0']);
      const report = await data.prefetch([600, 601, 602]);
      expect(report).toEqual({ pages: 3, failed: [] });
      expect(data.source.cacheUse().entries).toBe(3 + 3 + 1);
      expect(data.source.cacheUse().bytes).toBeLessThan(64 * 1024);
    } finally {
      await data.close();
    }
  });

  it('fails a window whose pages cannot be read, naming the shard; prefetch reports it and does not throw', async () => {
    const name = 'sotu-broken';
    const prepared = await prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name, ...settings });
    await store.delete([datasetShardKey(name, 0)]);
    const broken = runConfigFor({ netuid: 1, dataset: { ref: { ...dataset.ref, name, manifestHash: prepared.manifestHash }, manifest: prepared.manifest }, model: 'tiny' });
    // A short retry deadline for the test: the reader keeps trying a missing shard until then.
    const data = await TrainingData.open(broken, { stateDir: join(work, 'c'), cacheBytes: 1 << 20, deadlineMs: 1500, logger });
    try {
      await expect(data.windowPages([0])).rejects.toThrow(expect.objectContaining({ code: 'STORAGE_NOT_FOUND', message: expect.stringMatching(/dataset sotu-broken: .*shard 0/) }));
      const report = await data.prefetch([1, 600]);
      expect(report.failed.map((f) => f.page)).toEqual([1]);
    } finally {
      await data.close();
    }
  });
});

describe('the training engine', () => {
  it('opens the run\'s dataset and keeps it while only the trainer changes', async () => {
    const stateDir = join(work, 'engine');
    const state = await StateStore.open(stateDir, { hotkey: 'miner-x', netuid: 1, genesisHash: `0x${'09'.repeat(32)}` });
    const engine = new TrainingEngine(state, { threads: 1, resetOptimizer: false, dataCacheBytes: 1 << 20 }, logger);
    try {
      await engine.prepare(datasetRun);
      const data = engine.data;
      expect(data.source.kind).toBe('dataset');
      await engine.prepare({ ...datasetRun, inner: { ...datasetRun.inner, steps: 2 } });
      expect(engine.data).toBe(data);
      await engine.prepare(corpusRun);
      expect(engine.data.source.kind).toBe('corpus');
    } finally {
      await engine.close();
    }
  });
});
