/**
 * One run of the data benchmark, as its own process so its peak RSS is its own: prepare a GPT-2 (or
 * byte) dataset from a folder of text into the given bucket, then read pages back through a fresh
 * DatasetReader. Prints one JSON line (DataRunResult). Run by bench/data.bench.ts from dist/.
 */
import { pathToFileURL } from 'node:url';
import { createPrng, loadTokenizer, type TokenizerName } from '@crucible/model';
import { bucketConfigSchema, createS3Store } from '@crucible/storage';
import { DatasetReader } from '../datasetReader.js';
import { prepareDataset } from '../prepareDataset.js';

export interface DataRunOptions {
  readonly textDir: string;
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly name: string;
  readonly tokenizer: TokenizerName;
  readonly pageSize: number;
  readonly shardPages: number;
  readonly cacheDir: string;
  /** Pages read one at a time, cold (timed), then again from the cache. */
  readonly samplePages: number;
  /** Pages prefetched concurrently afterwards. */
  readonly prefetchPages: number;
  readonly progressEveryMs?: number;
  /** Tokenizer threads. Default 1. */
  readonly threads?: number;
}

export interface DataRunResult {
  readonly textBytes: number;
  readonly tokens: number;
  readonly datasetBytes: number;
  readonly shards: number;
  readonly pages: number;
  readonly prepareMs: number;
  readonly tokenizeMs: number;
  readonly uploadMs: number;
  readonly fetchMs: { p50: number; p90: number; max: number };
  readonly cachedMs: { p50: number };
  readonly prefetch: { pages: number; ms: number; failed: number };
  readonly peakRssMb: number;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

export async function measureDataRun(o: DataRunOptions): Promise<DataRunResult> {
  const credentials = { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey };
  const store = createS3Store(bucketConfigSchema.parse({ endpoint: o.endpoint, bucket: o.bucket, read: credentials, write: credentials, forcePathStyle: true }), { access: 'write' });
  try {
    await store.ensureBucket();
    const tokenizer = await loadTokenizer(o.tokenizer);
    const prepared = await prepareDataset({
      source: o.textDir,
      tokenizer,
      store,
      name: o.name,
      pageSize: o.pageSize,
      shardPages: o.shardPages,
      threads: o.threads ?? 1,
      progressEveryMs: o.progressEveryMs ?? 10_000,
      onProgress: (p) => {
        if (p.phase !== 'tokenizing') return;
        const m = process.memoryUsage();
        const mb = (x: number) => (x / 1e6).toFixed(0);
        process.stderr.write(
          `  ${mb(p.textBytes)}/${mb(p.totalTextBytes)} MB, ${(p.tokens / 1e6).toFixed(1)}M tokens, ${p.shards} shards; rss ${mb(m.rss)} MB (heap ${mb(m.heapUsed)}/${mb(m.heapTotal)}, array buffers ${mb(m.arrayBuffers)})\n`,
        );
      },
    });
    const reader = await DatasetReader.open({ store, name: o.name, manifestHash: prepared.manifestHash, cacheDir: o.cacheDir, cacheBytes: 256 * 2 ** 20 });
    const prng = createPrng(`crucible-bench-data/${o.name}`);
    const picks = Array.from({ length: o.samplePages }, () => prng.nextInt(reader.trainPageCount));
    const timed = async () => {
      const ms: number[] = [];
      for (const i of picks) {
        const t0 = performance.now();
        await reader.trainPage(i);
        ms.push(performance.now() - t0);
      }
      return ms;
    };
    const cold = await timed();
    const warm = await timed();
    const others = Array.from({ length: o.prefetchPages }, () => prng.nextInt(reader.trainPageCount));
    const t0 = performance.now();
    const prefetch = await reader.prefetch(others, 'train');
    const prefetchMs = performance.now() - t0;
    return {
      textBytes: prepared.textBytes,
      tokens: prepared.tokens,
      datasetBytes: prepared.manifest.shards.reduce((n, s) => n + s.bytes, 0),
      shards: prepared.manifest.shards.length,
      pages: prepared.manifest.pageCount,
      prepareMs: prepared.elapsedMs,
      tokenizeMs: prepared.tokenizeMs,
      uploadMs: prepared.uploadMs,
      fetchMs: { p50: quantile(cold, 0.5), p90: quantile(cold, 0.9), max: Math.max(...cold) },
      cachedMs: { p50: quantile(warm, 0.5) },
      prefetch: { pages: others.length, ms: prefetchMs, failed: prefetch.failed.length },
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  measureDataRun(JSON.parse(process.argv[2] ?? '{}') as DataRunOptions).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      setTimeout(() => process.exit(0), 50).unref();
    },
    (error: unknown) => {
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}
