import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { byteTokenizer, corpusFiles, loadSotuCorpus, loadTokenizer, type Corpus } from '@crucible/model';
import { bucketConfigSchema, createS3Store, datasetShardKey, type S3Store } from '@crucible/storage';
import { DatasetReader } from './datasetReader.js';
import { openDataset } from './openDataset.js';
import { prepareDataset, type PreparedDataset } from './prepareDataset.js';
import { pageRange } from './shardFormat.js';
import { verifyDataset } from './verifyDataset.js';

// Against the real local S3 server the test run starts once (test/setup/services.global.ts), in a
// bucket of this file's own.
interface Services {
  s3Endpoint: string;
  s3Region: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
}

let store: S3Store;
let location: ReturnType<typeof bucketConfigSchema.parse>;
let work: string;
let corpus: Corpus;
let sotu: PreparedDataset;
const settings = { pageSize: 4096, valEvery: 20, shardPages: 64 };

beforeAll(async () => {
  const services = inject('services' as never) as Services;
  const credentials = { accessKeyId: services.s3AccessKeyId, secretAccessKey: services.s3SecretAccessKey };
  location = bucketConfigSchema.parse({
    endpoint: services.s3Endpoint,
    region: services.s3Region,
    bucket: `data-test-${randomBytes(4).toString('hex')}`,
    read: credentials,
    write: credentials,
    forcePathStyle: true,
  });
  store = createS3Store(location, { access: 'write' });
  await store.ensureBucket();
  work = await mkdtemp(join(tmpdir(), 'crucible-data-test-'));
  corpus = await loadSotuCorpus({ pageSize: settings.pageSize, valEvery: settings.valEvery });
  sotu = await prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name: 'sotu-bytes', ...settings });
});

afterAll(async () => {
  const all = await store.list('');
  await store.delete(all.map((o) => o.key));
  store.close();
  await rm(work, { recursive: true, force: true });
});

const reader = (name: string, extra: Partial<Parameters<typeof DatasetReader.open>[0]> = {}) =>
  DatasetReader.open({ store, name, cacheDir: join(work, `cache-${randomBytes(3).toString('hex')}`), deadlineMs: 2000, retryBaseMs: 20, ...extra });

describe('a prepared byte-level dataset', () => {
  it('holds exactly the pages of the in-memory corpus, in the same split', async () => {
    const m = sotu.manifest;
    expect(m.pageCount).toBe(corpus.trainPageCount + corpus.valPageCount);
    expect([m.trainPages, m.valPages]).toEqual([corpus.trainPageCount, corpus.valPageCount]);
    expect(m.documents).toBe((await corpusFiles('sotu')).files.length);
    expect(m.shards.length).toBe(Math.ceil(m.pageCount / 64));
    const r = await reader('sotu-bytes', { manifestHash: sotu.manifestHash });
    for (const i of [0, 1, 63, 64, 1000, corpus.trainPageCount - 1]) expect(await r.trainPage(i)).toEqual(corpus.trainPage(i));
    for (const j of [0, corpus.valPageCount - 1]) expect(await r.valPage(j)).toEqual(corpus.valPage(j));
    await expect(r.trainPage(corpus.trainPageCount)).rejects.toThrow(/train page \d+ out of range/);
  });

  it('draws the same training and validation batches as the in-memory corpus, fetching only the pages used', async () => {
    const r = await reader('sotu-bytes');
    const assigned = [5, 900, 17, 1203, 64];
    expect(await r.trainBatch(assigned, 8, 64, 'seed/3')).toEqual(corpus.trainBatch(assigned, 8, 64, 'seed/3'));
    const fetchesBefore = r.stats.fetches;
    expect(await r.validationBatch(4, 64)).toEqual(corpus.validationBatch(4, 64));
    expect(r.stats.fetches - fetchesBefore).toBeLessThanOrEqual(4 + 4); // ≤ 4 pages and their shard indexes
  });

  it('is a pure function of the text and settings: preparing again gives the same manifest hash', async () => {
    await expect(prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name: 'sotu-bytes', ...settings })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/already published/),
    });
    const again = await prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name: 'sotu-bytes', ...settings, overwrite: true });
    expect(again.manifestHash).toBe(sotu.manifestHash);
  });

  it('passes full and quick verification', async () => {
    const full = await verifyDataset(store, 'sotu-bytes', sotu.manifest);
    expect(full.ok).toBe(true);
    expect(full.shards.length).toBe(sotu.manifest.shards.length);
    expect((await verifyDataset(store, 'sotu-bytes', sotu.manifest, { full: false })).ok).toBe(true);
  });
});

describe('the page reader', () => {
  it('reads each page with one ranged GET, then serves it from the disk cache', async () => {
    const r = await reader('sotu-bytes');
    await r.trainPage(5);
    expect(r.stats).toMatchObject({ fetches: 2, fetchedBytes: 64 + 32 * 64 + 4096, cacheHits: 0 }); // shard index + page
    await r.trainPage(5);
    expect(r.stats).toMatchObject({ fetches: 2, cacheHits: 1 });
    // A reader opened later on the same folder finds the page on disk.
    const later = await DatasetReader.open({ store, name: 'sotu-bytes', cacheDir: join(work, 'shared-cache'), deadlineMs: 2000 });
    await later.trainPage(5);
    const again = await DatasetReader.open({ store, name: 'sotu-bytes', cacheDir: join(work, 'shared-cache'), deadlineMs: 2000 });
    expect(await again.trainPage(5)).toEqual(corpus.trainPage(5));
    expect(again.stats).toMatchObject({ fetches: 0, cacheHits: 1 });
  });

  it('prefetches pages into the cache without failing, and keeps the cache within its bound', async () => {
    const r = await reader('sotu-bytes', { cacheBytes: 20 * 4096 + 2 * (64 + 32 * 64) });
    const report = await r.prefetch([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29], 'train');
    expect(report).toEqual({ pages: 30, failed: [] });
    expect(r.cacheUse.bytes).toBeLessThanOrEqual(r.cacheUse.maxBytes);
    expect(r.cacheUse.entries).toBeLessThan(32);
    const before = r.stats.fetches;
    expect(await r.trainPage(29)).toEqual(corpus.trainPage(29)); // the latest are still cached
    expect(r.stats.fetches).toBe(before);
    const bad = await r.prefetch([corpus.trainPageCount + 5], 'train');
    expect(bad.failed[0]!.error.code).toBe('DATA');
  });

  it('refuses a manifest other than the pinned one', async () => {
    await expect(reader('sotu-bytes', { manifestHash: `0x${'ab'.repeat(32)}` })).rejects.toMatchObject({ code: 'DATA_CORRUPT' });
    await expect(reader('no-such-dataset', { deadlineMs: 300 })).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND', message: expect.stringMatching(/no-such-dataset: manifest .* missing/) });
  });

  it('detects a corrupted cache file and fetches the page again', async () => {
    const cacheDir = join(work, 'corrupt-cache');
    const r = await DatasetReader.open({ store, name: 'sotu-bytes', cacheDir, deadlineMs: 2000 });
    await r.page(3);
    const folder = join(cacheDir, r.manifestHash.slice(2));
    expect(await readdir(folder)).toContain('p3');
    await writeFile(join(folder, 'p3'), new Uint8Array(4096));
    const fresh = await DatasetReader.open({ store, name: 'sotu-bytes', cacheDir, deadlineMs: 2000 });
    expect(await fresh.page(3)).toEqual(corpus.trainPage(3));
    expect(fresh.stats).toMatchObject({ cacheHits: 0, fetches: 1 }); // the index came from disk, the page from storage
  });
});

describe('damaged datasets', () => {
  // Each case prepares its own small copy (16 pages per shard) and damages shard 1.
  const prepareCopy = async (name: string) =>
    prepareDataset({ source: 'sotu', tokenizer: byteTokenizer, store, name, pageSize: 4096, valEvery: 20, shardPages: 16 });
  const shardBody = async (name: string, shard: number) => (await store.get(datasetShardKey(name, shard), { maxBytes: 2 ** 26 })).body;

  it('a corrupt page is retried, then refused with DATA_CORRUPT naming shard and page; others still read', async () => {
    const { manifest } = await prepareCopy('corrupt');
    const body = await shardBody('corrupt', 1);
    const { offset } = pageRange(2, 16, 4096, 'uint8');
    body[offset + 7]! ^= 0xff;
    await store.put(datasetShardKey('corrupt', 1), body);
    const r = await reader('corrupt', { deadlineMs: 500 });
    await expect(r.page(16 + 2)).rejects.toMatchObject({
      code: 'DATA_CORRUPT',
      message: expect.stringMatching(/dataset corrupt: page 18 of shard 1 .*does not match its hash/),
      details: expect.objectContaining({ shard: 1, page: 18 }),
    });
    expect(r.stats.retries).toBeGreaterThan(0);
    expect(await r.page(16 + 3)).toBeInstanceOf(Uint8Array);
    const check = await verifyDataset(store, 'corrupt', manifest);
    expect(check.shards.map((s) => s.error?.code ?? 'ok')).toEqual(manifest.shards.map((_, i) => (i === 1 ? 'DATA_CORRUPT' : 'ok')));
  });

  it('a truncated shard is refused: verification names it, the cut pages fail to read', async () => {
    const { manifest } = await prepareCopy('truncated');
    const body = await shardBody('truncated', 1);
    await store.put(datasetShardKey('truncated', 1), body.subarray(0, body.length - 5000));
    const check = await verifyDataset(store, 'truncated', manifest, { full: false });
    expect(check.shards[1]).toMatchObject({ ok: false, error: { code: 'DATASET_INVALID', message: expect.stringMatching(/truncated/) } });
    const r = await reader('truncated', { deadlineMs: 300 });
    await expect(r.page(16 + 15)).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringMatching(/page 31 of shard 1/) });
    expect(await r.page(16)).toBeInstanceOf(Uint8Array);
  });

  it('a missing shard is retried until it appears, and refused with STORAGE_NOT_FOUND if it does not', async () => {
    await prepareCopy('missing');
    const body = await shardBody('missing', 1);
    await store.delete([datasetShardKey('missing', 1)]);
    const r = await reader('missing', { deadlineMs: 400 });
    await expect(r.page(20)).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND', message: expect.stringMatching(/dataset missing: index of shard 1 .* missing/), details: expect.objectContaining({ shard: 1 }) });
    const patient = await reader('missing', { deadlineMs: 10_000 });
    const read = patient.page(20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.put(datasetShardKey('missing', 1), body);
    expect(await read).toEqual(corpus.trainPage(19)); // global page 20 is training page 19
    expect(patient.stats.retries).toBeGreaterThan(0);
  });
});

describe('a GPT-2 dataset', () => {
  it('stores 16-bit ids whose pages decode back to the text', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const dir = join(work, 'gpt2-text');
    await mkdir(join(dir, 'b'), { recursive: true });
    const sentence = 'The quick brown fox jumps over the lazy dog; naïve café 🚀. ';
    await writeFile(join(dir, 'a.txt'), sentence.repeat(300));
    await writeFile(join(dir, 'b', 'c.txt'), 'Fellow-Citizens of the Senate. '.repeat(300));
    const prepared = await prepareDataset({ source: dir, tokenizer: gpt2, store, name: 'gpt2-small', pageSize: 64, shardPages: 8, valEvery: 4 });
    expect(prepared.manifest).toMatchObject({ tokenizer: { name: 'gpt2' }, vocabSize: 50257, dtype: 'uint16', documents: 2, documentSeparator: [50256] });
    const r = await openDataset({ location, name: 'gpt2-small', manifestHash: prepared.manifestHash }, { cacheDir: join(work, 'gpt2-cache') });
    try {
      const first = await r.page(0);
      expect(first).toBeInstanceOf(Uint16Array);
      expect(gpt2.decode(first)).toBe(gpt2.decode(Array.from(gpt2.encode(sentence.repeat(300))).slice(0, 64)));
      const all = await r.pages(Array.from({ length: r.pageCount }, (_, g) => g));
      const ids = all.flatMap((p) => Array.from(p));
      expect(ids.includes(50256)).toBe(true);
      expect(gpt2.decode(ids).startsWith(sentence.repeat(3))).toBe(true);
    } finally {
      r.close();
    }
  });
});
