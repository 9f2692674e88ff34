import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { byteTokenizer, loadSotuCorpus, presets, type Corpus } from '@crucible/model';
import { bucketConfigSchema, createS3Store, datasetShardKey, type S3Store } from '@crucible/storage';
import type { DatasetRef } from './datasetRef.js';
import { datasetFlagsSchema, pinDataset } from './pinDataset.js';
import { prepareDataset, type PreparedDataset } from './prepareDataset.js';
import { datasetCorpusSource, openRunData, runDataKey, type RunDataSpec } from './runData.js';
import { RunDataHolder } from './runDataHolder.js';

// Against the real local S3 server of the test run, in a bucket of this file's own.
interface Services {
  s3Endpoint: string;
  s3Region: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
}

let store: S3Store;
let ref: DatasetRef;
let work: string;
let corpus: Corpus;
let prepared: PreparedDataset;
const settings = { pageSize: 1024, valEvery: 20, shardPages: 256 };

beforeAll(async () => {
  const services = inject('services' as never) as Services;
  const key = { accessKeyId: services.s3AccessKeyId, secretAccessKey: services.s3SecretAccessKey };
  const location = bucketConfigSchema.parse({ endpoint: services.s3Endpoint, region: services.s3Region, bucket: `rundata-${randomBytes(4).toString('hex')}`, read: key, write: key, forcePathStyle: true });
  store = createS3Store(location, { access: 'write' });
  await store.ensureBucket();
  work = await mkdtemp(join(tmpdir(), 'crucible-rundata-test-'));
  corpus = await loadSotuCorpus({ pageSize: settings.pageSize, valEvery: settings.valEvery });
  prepared = await prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name: 'sotu-run', ...settings });
  // Fresh objects: the S3 client marks the credentials object the store was created with.
  ref = { location: { endpoint: location.endpoint, region: location.region, bucket: location.bucket, forcePathStyle: true, read: { ...key } }, name: 'sotu-run', manifestHash: prepared.manifestHash };
});

afterAll(async () => {
  await store.delete((await store.list('')).map((o) => o.key));
  store.close();
  await rm(work, { recursive: true, force: true });
});

const spec = (o: Partial<RunDataSpec['corpus']> = {}): RunDataSpec => ({
  dataset: ref,
  corpus: { source: datasetCorpusSource('sotu-run'), pageSize: settings.pageSize, valEvery: settings.valEvery, trainPages: prepared.manifest.trainPages, ...o },
  model: presets.tiny,
});

describe('a run\'s text on a published dataset (openRunData)', () => {
  it('draws the batches the in-memory corpus draws, fetching only the pages used, into a bounded cache', async () => {
    const data = await openRunData(spec(), { cacheRoot: join(work, 'a'), cacheBytes: 64 * 1024 });
    try {
      expect(data.kind).toBe('dataset');
      // The run configuration it was opened from is left as it was (strict schemas check it again).
      expect(Object.keys(ref.location.read)).toEqual(['accessKeyId', 'secretAccessKey']);
      expect(data.trainPageCount).toBe(corpus.trainPageCount);
      const pages = [3, 700, 41];
      expect(await data.trainBatch(pages, 8, 64, 'seed/1')).toEqual(corpus.trainBatch(pages, 8, 64, 'seed/1'));
      expect(await data.validationBatch(4, 64, 'crucible-validation')).toEqual(corpus.validationBatch(4, 64, 'crucible-validation'));
      expect(await data.trainPages([9, 2])).toEqual([corpus.trainPage(9), corpus.trainPage(2)]);
      // 200 pages of 1 KiB pass through a cache bounded at 64 KiB: the disk holds at most the bound.
      const report = await data.prefetch(Array.from({ length: 200 }, (_, i) => i * 3));
      expect(report.failed).toEqual([]);
      expect(data.cacheUse().bytes).toBeLessThanOrEqual(64 * 1024);
    } finally {
      await data.close();
    }
  });

  it('refuses a run configuration whose pages do not describe the dataset, or a model of another vocabulary', async () => {
    await expect(openRunData(spec({ trainPages: 5 }), { cacheRoot: join(work, 'b') })).rejects.toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/trainPages 5\) does not describe dataset sotu-run \(trainPages \d+/) }),
    );
    await expect(openRunData({ ...spec(), model: presets['tiny-gpt2'] }, { cacheRoot: join(work, 'b') })).rejects.toThrow(/tokenized with bytes \(256 ids\); the model has 50257/);
  });

  it('fails clearly, after retrying, when a shard is missing — it never reads other data instead', async () => {
    const name = 'sotu-gone';
    const gone = await prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name, ...settings });
    await store.delete([datasetShardKey(name, 1)]);
    const data = await openRunData(
      { ...spec(), dataset: { ...ref, name, manifestHash: gone.manifestHash }, corpus: { ...spec().corpus, source: datasetCorpusSource(name) } },
      { cacheRoot: join(work, 'c'), deadlineMs: 1500 },
    );
    try {
      expect(await data.trainPages([0])).toEqual([corpus.trainPage(0)]);
      const inShard1 = 300; // training page 300 is global page 315: shard 1 holds global pages 256..511
      await expect(data.trainPages([inShard1])).rejects.toThrow(expect.objectContaining({ code: 'STORAGE_NOT_FOUND', message: expect.stringMatching(/shard 1/) }));
      expect((await data.prefetch([inShard1])).failed).toHaveLength(1);
    } finally {
      await data.close();
    }
  });

  it('gives each process of a shared cache root its own cache folder', async () => {
    const root = join(work, 'shared');
    const [one, two] = await Promise.all([openRunData(spec(), { cacheRoot: root }), openRunData(spec(), { cacheRoot: root })]);
    await one.trainPages([1]);
    await two.trainPages([1]);
    await Promise.all([one.close(), two.close()]);
    expect(runDataKey(spec())).toBe(runDataKey({ ...spec(), model: { ...presets.tiny, nLayer: 7 } }));
    expect(runDataKey(spec())).not.toBe(runDataKey({ ...spec(), dataset: { ...ref, manifestHash: `0x${'00'.repeat(32)}` } }));
  });
});

describe('one open RunData per process (RunDataHolder)', () => {
  it('is shared by callers, reopened when the text changes, and tried again after a failed open', async () => {
    const holder = new RunDataHolder({ cacheRoot: join(work, 'holder') });
    try {
      const [a, b] = await Promise.all([holder.get(spec()), holder.get({ ...spec(), model: { ...presets.tiny, nLayer: 7 } })]);
      expect(a).toBe(b);
      await expect(holder.get(spec({ trainPages: 1 }))).rejects.toThrow(/does not describe dataset/);
      const again = await holder.get(spec());
      expect(again).not.toBe(a);
      expect(await again.trainPages([0])).toEqual([corpus.trainPage(0)]);
    } finally {
      await holder.close();
    }
  });
});

describe('a run\'s text on the shipped corpus', () => {
  it('is the in-memory corpus, checked against the run\'s training page count', async () => {
    const c = { source: 'sotu', pageSize: settings.pageSize, valEvery: settings.valEvery, trainPages: corpus.trainPageCount };
    const data = await openRunData({ corpus: c, model: presets.tiny }, { cacheRoot: join(work, 'unused') });
    expect(data.kind).toBe('corpus');
    expect(await data.trainBatch([1, 2], 4, 32, 's')).toEqual(corpus.trainBatch([1, 2], 4, 32, 's'));
    await expect(openRunData({ corpus: { ...c, trainPages: 3 }, model: presets.tiny }, { cacheRoot: work })).rejects.toThrow(/not the same text/);
    await expect(openRunData({ corpus: c, model: presets['tiny-gpt2'] }, { cacheRoot: work })).rejects.toThrow(/needs a dataset tokenized for it/);
  });
});

describe('pinning a dataset for a run (pinDataset)', () => {
  const flags = (o: Record<string, unknown> = {}) =>
    datasetFlagsSchema().parse({ name: 'sotu-run', endpoint: ref.location.endpoint, region: ref.location.region, bucket: ref.location.bucket, read: ref.location.read, ...o });

  it('reads the manifest with the read-only key and pins its hash', async () => {
    const pinned = await pinDataset(flags());
    expect(pinned?.ref).toEqual(ref);
    expect(Object.keys(pinned!.ref.location.read)).toEqual(['accessKeyId', 'secretAccessKey']); // nothing added by the S3 client
    expect(pinned?.manifest.trainPages).toBe(prepared.manifest.trainPages);
    expect((await pinDataset(flags({ manifestHash: prepared.manifestHash })))?.ref.manifestHash).toBe(prepared.manifestHash);
  });

  it('refuses another hash than the one given, a missing read key, or no dataset at all', async () => {
    await expect(pinDataset(flags({ manifestHash: `0x${'11'.repeat(32)}` }), { deadlineMs: 500 })).rejects.toThrow(expect.objectContaining({ code: 'DATA_CORRUPT' }));
    await expect(pinDataset(flags({ read: {} }))).rejects.toThrow(/--dataset.read.access-key-id, --dataset.read.secret-access-key/);
    expect(await pinDataset(datasetFlagsSchema().parse({}))).toBeUndefined();
  });
});
