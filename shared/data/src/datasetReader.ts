import { blake2b256, CrucibleError, cryptoReady, toHex, type Logger } from '@crucible/core';
import {
  allocTokens,
  batchFromWindows,
  planBatch,
  tokensFromBytes,
  trainPageToGlobal,
  valPageToGlobal,
  type Batch,
  type BatchSource,
  type PrngSeed,
  type TokenArray,
} from '@crucible/model';
import { datasetShardKey, type ObjectStore } from '@crucible/storage';
import { Limiter } from './limiter.js';
import { fetchDatasetManifest } from './fetchDatasetManifest.js';
import type { DatasetManifest } from './manifest.js';
import { retrying } from './retrying.js';
import { PageCache } from './pageCache.js';
import { decodeShardHeader, PAGE_HASH_BYTES, pageRange, SHARD_HEADER_BYTES, shardIndexBytes } from './shardFormat.js';

export interface DatasetReaderOptions {
  /** Read access to the bucket holding `datasets/<name>/`. */
  readonly store: ObjectStore;
  readonly name: string;
  /** The manifest hash the run pins; a different manifest is refused (DATA_CORRUPT). */
  readonly manifestHash?: string;
  /** Folder of the disk cache (one reader at a time); pages and shard indexes are kept there. */
  readonly cacheDir: string;
  /** Disk cache bound in bytes. Default 1 GiB. */
  readonly cacheBytes?: number;
  /** Time allowed for one ranged GET (ms). Default 30,000. */
  readonly timeoutMs?: number;
  /** Time allowed for one page or index, retries included (ms). Default 120,000. */
  readonly deadlineMs?: number;
  /** First retry delay (ms; doubling, full jitter). Default 200. */
  readonly retryBaseMs?: number;
  /** GETs in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Refuse manifests larger than this. Default 64 MiB. */
  readonly maxManifestBytes?: number;
  /** Verified shard indexes kept in memory. Default 16. */
  readonly indexesInMemory?: number;
  readonly logger?: Logger;
}

export type PageSplit = 'train' | 'val' | 'global';

/** What a prefetch did; it never throws, so it can run unawaited beside training. */
export interface PrefetchReport {
  readonly pages: number;
  readonly failed: { readonly page: number; readonly error: CrucibleError }[];
}

export interface ReaderStats {
  cacheHits: number;
  fetches: number;
  fetchedBytes: number;
  retries: number;
}

/**
 * Reads single pages of a published dataset: each page is one ranged GET of its shard, checked against
 * the shard's page index, whose own hash the manifest pins (see shardFormat.ts), and kept in a
 * size-bounded disk cache. Memory holds the manifest (O(shards)), a few shard indexes and the pages in
 * flight — never the dataset. A missing or corrupt shard is retried until `deadlineMs` and then thrown
 * as STORAGE_NOT_FOUND or DATA_CORRUPT naming the dataset, shard and page; it is never replaced.
 */
export class DatasetReader implements BatchSource {
  readonly name: string;
  readonly manifest: DatasetManifest;
  readonly manifestHash: `0x${string}`;
  readonly stats: ReaderStats = { cacheHits: 0, fetches: 0, fetchedBytes: 0, retries: 0 };
  private readonly o: Required<Omit<DatasetReaderOptions, 'manifestHash' | 'logger'>> & { logger?: Logger };
  private readonly cache: PageCache;
  private readonly limiter: Limiter;
  private readonly inFlight = new Map<number, Promise<TokenArray>>();
  private readonly indexes = new Map<number, Promise<Uint8Array>>();
  private onClose: (() => void) | undefined;

  private constructor(o: DatasetReader['o'], manifest: DatasetManifest, hash: `0x${string}`, cache: PageCache) {
    this.o = o;
    this.name = o.name;
    this.manifest = manifest;
    this.manifestHash = hash;
    this.cache = cache;
    this.limiter = new Limiter(o.concurrency);
  }

  /** Fetches and verifies the manifest and opens the cache (under cacheDir/<manifest hash>). */
  static async open(options: DatasetReaderOptions, onClose?: () => void): Promise<DatasetReader> {
    const o = {
      cacheBytes: 2 ** 30,
      timeoutMs: 30_000,
      deadlineMs: 120_000,
      retryBaseMs: 200,
      concurrency: 8,
      maxManifestBytes: 64 * 2 ** 20,
      indexesInMemory: 16,
      ...options,
    };
    await cryptoReady(); // blake2b through WASM: ~0.5 GB/s instead of JavaScript's crawl
    const { manifest, hash } = await fetchDatasetManifest(o.store, o.name, { ...o, expectedHash: options.manifestHash });
    const cache = await PageCache.open({ dir: `${o.cacheDir}/${hash.slice(2)}`, maxBytes: o.cacheBytes });
    const reader = new DatasetReader(o, manifest, hash, cache);
    reader.onClose = onClose;
    return reader;
  }

  get pageCount(): number {
    return this.manifest.pageCount;
  }

  get trainPageCount(): number {
    return this.manifest.trainPages;
  }

  get valPageCount(): number {
    return this.manifest.valPages;
  }

  /** The global page of page `i` of a split. */
  globalPage(i: number, split: PageSplit = 'global'): number {
    const { trainPages, valPages, pageCount, split: rule } = this.manifest;
    const n = split === 'train' ? trainPages : split === 'val' ? valPages : pageCount;
    if (!Number.isSafeInteger(i) || i < 0 || i >= n) throw new CrucibleError('DATA', `${split} page ${i} out of range [0, ${n}) of dataset ${this.name}`);
    return split === 'train' ? trainPageToGlobal(i, rule.valEvery) : split === 'val' ? valPageToGlobal(i, rule.valEvery) : i;
  }

  /** Page `i` of a split (global numbering by default), verified. Concurrent callers share the array: do not modify it. */
  async page(i: number, split: PageSplit = 'global'): Promise<TokenArray> {
    const g = this.globalPage(i, split);
    let pending = this.inFlight.get(g);
    if (pending === undefined) {
      pending = this.loadPage(g).finally(() => this.inFlight.delete(g));
      this.inFlight.set(g, pending);
    }
    return pending;
  }

  /** Training page i (the numbering assignPages uses). */
  trainPage(i: number): Promise<TokenArray> {
    return this.page(i, 'train');
  }

  valPage(j: number): Promise<TokenArray> {
    return this.page(j, 'val');
  }

  /** Several pages at once (fetched `concurrency` at a time), in the order asked. */
  pages(indices: readonly number[], split: PageSplit = 'global'): Promise<TokenArray[]> {
    return Promise.all(indices.map((i) => this.page(i, split)));
  }

  /**
   * The batch `Corpus.trainBatch(pageIndices, …)` draws from the same text: sampleBatch over these
   * training pages, fetching only the pages its rows use.
   */
  trainBatch(pageIndices: readonly number[], batchSize: number, seqLen: number, seed: PrngSeed): Promise<Batch> {
    return this.batch(pageIndices.length, (k) => pageIndices[k]!, 'train', batchSize, seqLen, seed);
  }

  /**
   * The batch `Corpus.validationBatch` draws: rows from all validation pages with a fixed seed, fetching
   * only the (at most batchSize) pages they use.
   */
  validationBatch(batchSize: number, seqLen: number, seed: PrngSeed = 'crucible-validation'): Promise<Batch> {
    return this.batch(this.valPageCount, (j) => j, 'val', batchSize, seqLen, seed);
  }

  /** sampleBatch over the `count` pages at(0..count−1) of a split, fetching only the rows' pages. */
  private async batch(count: number, at: (k: number) => number, split: PageSplit, batchSize: number, seqLen: number, seed: PrngSeed): Promise<Batch> {
    const rows = planBatch(count, () => this.manifest.pageSize, { batchSize, seqLen, seed });
    const needed = [...new Set(rows.map((r) => at(r.page)))];
    const pages = new Map((await this.pages(needed, split)).map((p, k) => [needed[k]!, p]));
    const windows = allocTokens(this.manifest.dtype, batchSize * (seqLen + 1));
    rows.forEach(({ page, offset }, b) => windows.set(pages.get(at(page))!.subarray(offset, offset + seqLen + 1), b * (seqLen + 1)));
    return batchFromWindows(windows, batchSize, seqLen);
  }

  /**
   * Brings pages into the disk cache ahead of use (e.g. the next window's assignment) without holding
   * them in memory. Never rejects: failures are reported and retried on the next read.
   */
  async prefetch(indices: readonly number[], split: PageSplit = 'global'): Promise<PrefetchReport> {
    const failed: { page: number; error: CrucibleError }[] = [];
    await Promise.all(
      indices.map(async (i) => {
        try {
          if (!this.cache.has(`p${this.globalPage(i, split)}`)) await this.page(i, split);
        } catch (error) {
          failed.push({ page: i, error: error instanceof CrucibleError ? error : new CrucibleError('INTERNAL', String(error), { cause: error }) });
        }
      }),
    );
    return { pages: indices.length, failed };
  }

  /** Disk cache use: bytes and entries. */
  get cacheUse(): { bytes: number; entries: number; maxBytes: number } {
    return { bytes: this.cache.size, entries: this.cache.count, maxBytes: this.cache.maxBytes };
  }

  /** Closes the store when the reader opened it (openDataset). Idempotent. */
  close(): void {
    this.onClose?.();
    this.onClose = undefined;
  }

  private async loadPage(g: number): Promise<TokenArray> {
    const { shardPages, pageSize, dtype } = this.manifest;
    const shard = Math.floor(g / shardPages);
    const local = g % shardPages;
    const index = await this.shardIndex(shard);
    const expected = index.subarray(SHARD_HEADER_BYTES + local * PAGE_HASH_BYTES, SHARD_HEADER_BYTES + (local + 1) * PAGE_HASH_BYTES);
    const name = `p${g}`;
    const cached = await this.cache.get(name);
    if (cached !== undefined) {
      if (sameBytes(blake2b256(cached), expected)) {
        this.stats.cacheHits++;
        return tokensFromBytes(dtype, cached);
      }
      await this.cache.delete(name);
    }
    const pages = this.manifest.shards[shard]!.pages;
    const range = pageRange(local, pages, pageSize, dtype);
    const key = datasetShardKey(this.name, shard);
    const where = { dataset: this.name, shard, page: g, key, offset: range.offset, length: range.length };
    const bytes = await retrying(this.o, `dataset ${this.name}: page ${g} of shard ${shard} (${key})`, where, async () => {
      const got = await this.fetch(key, range.offset, range.length);
      const actual = blake2b256(got);
      if (!sameBytes(actual, expected)) {
        throw new CrucibleError('DATA_CORRUPT', `page ${g} does not match its hash in the shard index`, { details: { expected: toHex(expected), actual: toHex(actual) } });
      }
      return got;
    }, this.countRetry);
    await this.cache.put(name, bytes);
    return tokensFromBytes(dtype, bytes);
  }

  /** Shard `s`'s verified index (header + page hashes), from memory, the disk cache or storage. */
  private shardIndex(s: number): Promise<Uint8Array> {
    let index = this.indexes.get(s);
    if (index !== undefined) {
      this.indexes.delete(s);
      this.indexes.set(s, index); // most recently used last
      return index;
    }
    index = this.loadIndex(s);
    this.indexes.set(s, index);
    index.catch(() => this.indexes.delete(s));
    for (const [old] of this.indexes) {
      if (this.indexes.size <= this.o.indexesInMemory) break;
      this.indexes.delete(old);
    }
    return index;
  }

  private async loadIndex(s: number): Promise<Uint8Array> {
    const entry = this.manifest.shards[s]!;
    const name = `i${s}`;
    const cached = await this.cache.get(name);
    if (cached !== undefined && toHex(blake2b256(cached)) === entry.indexHash) return cached;
    if (cached !== undefined) await this.cache.delete(name);
    const key = datasetShardKey(this.name, s);
    const length = shardIndexBytes(entry.pages);
    const bytes = await retrying(this.o, `dataset ${this.name}: index of shard ${s} (${key})`, { dataset: this.name, shard: s, key }, async () => {
      const got = await this.fetch(key, 0, length);
      const actual = toHex(blake2b256(got));
      if (actual !== entry.indexHash) {
        throw new CrucibleError('DATA_CORRUPT', `shard ${s}'s index does not match the manifest`, { details: { expected: entry.indexHash, actual } });
      }
      return got;
    }, this.countRetry);
    const header = decodeShardHeader(bytes);
    const m = this.manifest;
    if (header.shardIndex !== s || header.pageCount !== entry.pages || header.pageSize !== m.pageSize || header.dtype !== m.dtype) {
      throw new CrucibleError('DATASET_INVALID', `dataset ${this.name}: shard ${s}'s header disagrees with the manifest`, {
        details: { header, manifest: { shard: s, pages: entry.pages, pageSize: m.pageSize, dtype: m.dtype } },
      });
    }
    await this.cache.put(name, bytes);
    return bytes;
  }

  private readonly countRetry = (): void => {
    this.stats.retries++;
  };

  private async fetch(key: string, offset: number, length: number): Promise<Uint8Array> {
    return this.limiter.run(async () => {
      const bytes = await this.o.store.getRange(key, { offset, length, timeoutMs: this.o.timeoutMs });
      this.stats.fetches++;
      this.stats.fetchedBytes += bytes.length;
      return bytes;
    });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
