import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteTokenizer, corpusFiles, loadTokenizer } from '@crucible/model';
import { createMemoryStore, datasetShardKey } from '@crucible/storage';
import { prepareDataset, type PrepareProgress } from './prepareDataset.js';

// Preparing is logic over an ObjectStore: the in-memory adapter stands in for S3 here (the reader
// tests run against the real S3 server).
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crucible-prepare-'));
  await mkdir(join(dir, 'speeches'));
  const { files } = await corpusFiles('sotu');
  for (const f of files.slice(100, 130)) await copyFile(f.path, join(dir, 'speeches', f.name));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prepareDataset', () => {
  it('gives the same GPT-2 shards with tokenizer threads as on one thread', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const settings = { source: join(dir, 'speeches'), tokenizer: gpt2, name: 'speeches', pageSize: 512, shardPages: 64, valEvery: 10 };
    const one = createMemoryStore();
    const two = createMemoryStore();
    const a = await prepareDataset({ ...settings, store: one });
    const b = await prepareDataset({ ...settings, store: two, threads: 2 });
    expect(b.manifestHash).toBe(a.manifestHash);
    expect(a.manifest.shards.length).toBeGreaterThan(2);
    expect(a.tokens).toBeGreaterThan(a.textBytes / 6);
  });

  it('gives the same manifest hash for the same text prepared from another place on disk', async () => {
    const elsewhere = join(dir, 'copy', 'speeches');
    await mkdir(elsewhere, { recursive: true });
    const { files } = await corpusFiles(join(dir, 'speeches'));
    for (const f of files) await copyFile(f.path, join(elsewhere, f.name));
    const settings = { tokenizer: byteTokenizer, name: 'same', pageSize: 1024, shardPages: 64 };
    const a = await prepareDataset({ ...settings, source: join(dir, 'speeches'), store: createMemoryStore() });
    const b = await prepareDataset({ ...settings, source: elsewhere, store: createMemoryStore() });
    expect(a.manifest.source).toBe('speeches');
    expect(b.manifestHash).toBe(a.manifestHash);
  });

  it('reports progress by phase and counts every byte and document', async () => {
    const seen: PrepareProgress[] = [];
    const r = await prepareDataset({ source: join(dir, 'speeches'), tokenizer: byteTokenizer, store: createMemoryStore(), name: 'p', pageSize: 1024, shardPages: 128, progressEveryMs: 0, onProgress: (p) => seen.push(p) });
    expect(new Set(seen.map((p) => p.phase))).toEqual(new Set(['tokenizing', 'shard', 'done']));
    const done = seen.at(-1)!;
    expect(done).toMatchObject({ phase: 'done', textBytes: r.textBytes, totalTextBytes: r.textBytes, documents: 30, totalDocuments: 30, shards: r.manifest.shards.length });
    expect(r.tokens).toBe(r.textBytes + 30 * 2); // bytes plus a "\n\n" after each document
    expect(r.manifest.droppedTokens).toBe(r.tokens - r.manifest.pageCount * 1024);
  });

  it('replacing a dataset with a smaller one removes the shards it no longer has', async () => {
    const store = createMemoryStore();
    const base = { source: join(dir, 'speeches'), tokenizer: byteTokenizer, store, name: 'shrink', pageSize: 1024, valEvery: 10 };
    const big = await prepareDataset({ ...base, shardPages: 16 });
    const small = await prepareDataset({ ...base, shardPages: 256, overwrite: true });
    expect(big.manifest.shards.length).toBeGreaterThan(small.manifest.shards.length);
    const keys = (await store.list('datasets/shrink/shards/')).map((o) => o.key);
    expect(keys.sort()).toEqual(small.manifest.shards.map((_, i) => datasetShardKey('shrink', i)).sort());
  });

  it('refuses a text too small to hold out a validation page, and stops when aborted', async () => {
    await writeFile(join(dir, 'tiny.txt'), 'a few words');
    await expect(prepareDataset({ source: join(dir, 'tiny.txt'), tokenizer: byteTokenizer, store: createMemoryStore(), name: 't', pageSize: 4, valEvery: 20 })).rejects.toMatchObject({
      code: 'DATA',
      message: expect.stringMatching(/makes 3 pages of 4 tokens; holding out every 20th needs at least 20/),
    });
    const controller = new AbortController();
    controller.abort();
    await expect(prepareDataset({ source: join(dir, 'speeches'), tokenizer: byteTokenizer, store: createMemoryStore(), name: 'a', signal: controller.signal })).rejects.toThrow(/interrupted/);
  });
});
