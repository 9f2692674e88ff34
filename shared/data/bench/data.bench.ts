/**
 * Data benchmark: prepares a GPT-2 dataset from generated English-like text (bench text: a word bigram
 * chain over the shipped State of the Union corpus, deterministic, nothing downloaded), publishes it to
 * a local S3 server, then reads pages back one ranged GET at a time. Runs twice — 100 MB and 1 GiB of
 * text — each in its own plain-node process on the built dist/, so each peak RSS is that run's alone:
 * memory must not grow with the dataset. Cleans up its text, bucket and cache. Prints figures, then one
 * JSON line.
 *
 * Env: CRUCIBLE_BENCH_DATA_MB (large run, default 1024 = 1 GiB), CRUCIBLE_BENCH_DATA_SMALL_MB (default
 *      100), CRUCIBLE_BENCH_TOKENIZER (gpt2 | bytes, default gpt2), CRUCIBLE_BENCH_DATA_THREADS (tokenizer
 *      threads, default 1), CRUCIBLE_BENCH_DIR (scratch folder, default the OS temp dir).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startS3Server } from '../../../deploy/src/services/s3.js';
import { writeBenchText } from '../src/measure/benchText.js';
import type { DataRunOptions, DataRunResult } from '../src/measure/measureDataRun.js';

const MiB = 2 ** 20;
const largeMb = Number(process.env.CRUCIBLE_BENCH_DATA_MB ?? 1024);
const smallMb = Number(process.env.CRUCIBLE_BENCH_DATA_SMALL_MB ?? 100);
const tokenizer = (process.env.CRUCIBLE_BENCH_TOKENIZER ?? 'gpt2') as DataRunOptions['tokenizer'];
const threads = Number(process.env.CRUCIBLE_BENCH_DATA_THREADS ?? 1);
const pageSize = 4096;
const shardPages = 4096;
const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const scratch = await mkdtemp(join(process.env.CRUCIBLE_BENCH_DIR ?? tmpdir(), 'crucible-bench-data-'));
const s3 = await startS3Server({ dir: join(scratch, 'services') });
const script = fileURLToPath(new URL('../dist/measure/measureDataRun.js', import.meta.url));

async function run(mb: number): Promise<DataRunResult> {
  const textDir = join(scratch, `text-${mb}`);
  await mkdir(textDir, { recursive: true });
  const t0 = performance.now();
  const text = await writeBenchText(textDir, mb * MiB);
  console.log(`${mb} MiB: generated ${fmt(text.bytes / 1e6, 1)} MB of text in ${text.files} files in ${fmt((performance.now() - t0) / 1000, 1)} s; preparing…`);
  const options: DataRunOptions = {
    textDir,
    endpoint: s3.endpoint,
    bucket: `bench-data-${mb}`,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    name: `bench-${mb}`,
    tokenizer,
    pageSize,
    shardPages,
    cacheDir: join(scratch, `cache-${mb}`),
    samplePages: 200,
    prefetchPages: 256,
    threads,
  };
  try {
    const child = spawnSync(process.execPath, [script, JSON.stringify(options)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * MiB });
    const line = child.stdout.split('\n').filter((l) => l.startsWith('{')).at(-1);
    if (child.status !== 0 || line === undefined) throw new Error(`measureDataRun failed (exit ${child.status}); run 'npm run build -w shared/data' first`);
    return JSON.parse(line) as DataRunResult;
  } finally {
    // The shards live in the S3 server's folder: drop the text, the cache and the server's bucket files.
    await rm(textDir, { recursive: true, force: true });
    await rm(options.cacheDir, { recursive: true, force: true });
    await rm(join(scratch, 'services', 's3', options.bucket), { recursive: true, force: true });
  }
}

function report(mb: number, r: DataRunResult): void {
  const tokenizePerS = (r.tokens * 1000) / r.tokenizeMs;
  console.log(
    `${mb} MiB: ${fmt(r.textBytes / 1e6, 1)} MB of text → ${fmt(r.tokens / 1e6, 1)}M ${tokenizer} tokens (${fmt(r.textBytes / r.tokens, 2)} bytes/token), ` +
      `${r.shards} shards, ${fmt(r.pages)} pages, ${fmt(r.datasetBytes / 1e6, 1)} MB of shards`,
  );
  console.log(
    `  prepare ${fmt(r.prepareMs / 1000, 1)} s: reading, tokenizing and sharding ${fmt(r.tokenizeMs / 1000, 1)} s (${fmt(tokenizePerS)} tokens/s, ` +
      `${fmt(r.textBytes / 1e3 / r.tokenizeMs, 1)} MB/s of text), uploading ${fmt(r.uploadMs / 1000, 1)} s`,
  );
  console.log(
    `  page reads (${pageSize} tokens, one ranged GET each, verified): cold p50 ${fmt(r.fetchMs.p50, 2)} ms, p90 ${fmt(r.fetchMs.p90, 2)} ms, max ${fmt(r.fetchMs.max, 1)} ms; ` +
      `from the disk cache p50 ${fmt(r.cachedMs.p50, 2)} ms; prefetch of ${r.prefetch.pages} pages ${fmt(r.prefetch.ms)} ms (${r.prefetch.failed} failed)`,
  );
  console.log(`  peak RSS ${fmt(r.peakRssMb)} MB`);
}

try {
  console.log(
    `load average ${loadavg()[0]!.toFixed(1)} on ${process.env.CRUCIBLE_BENCH_DIR ?? tmpdir()}; pages of ${pageSize} tokens, shards of ${shardPages} pages; ${threads} tokenizer thread${threads > 1 ? 's' : ''}`,
  );
  const small = await run(smallMb);
  report(smallMb, small);
  const large = await run(largeMb);
  report(largeMb, large);
  const ratio = large.peakRssMb / small.peakRssMb;
  console.log(`peak RSS ${fmt(large.peakRssMb)} MB for ${largeMb} MiB vs ${fmt(small.peakRssMb)} MB for ${smallMb} MiB: ratio ${ratio.toFixed(3)} (${Math.abs(ratio - 1) <= 0.2 ? 'within' : 'OUTSIDE'} 20%)`);
  console.log(
    JSON.stringify({
      bench: 'data',
      tokenize_tokens_per_s: Math.round((large.tokens * 1000) / large.tokenizeMs),
      page_fetch_ms_p50: Number(large.fetchMs.p50.toFixed(3)),
      dataset_gb: Number((large.textBytes / 1e9).toFixed(3)),
      peak_rss_mb: Math.round(large.peakRssMb),
      peak_rss_mb_small: Math.round(small.peakRssMb),
      small_dataset_gb: Number((small.textBytes / 1e9).toFixed(3)),
    }),
  );
} finally {
  await s3.close();
  await rm(scratch, { recursive: true, force: true });
}
