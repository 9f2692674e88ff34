#!/usr/bin/env node
/**
 * `crucible-data`: publish a tokenized dataset to a bucket, check one, and read a page back as text.
 * Thin: each command validates its flags (zod) and calls the package's typed functions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineCommand, loggingSchema, runCliIfMain, type CliSpec } from '@crucible/core';
import { loadTokenizer, TOKENIZER_NAMES } from '@crucible/model';
import { dataStorageSchema, openDataStore } from './cliStorage.js';
import { DatasetReader } from './datasetReader.js';
import { fetchDatasetManifest } from './fetchDatasetManifest.js';
import { prepareDataset, prepareDefaults, type PrepareProgress } from './prepareDataset.js';
import { verifyDataset } from './verifyDataset.js';
import { describeManifest, formatProgress } from './cliFormat.js';

const logging = loggingSchema.default(loggingSchema.parse({}));
const storage = dataStorageSchema.default(dataStorageSchema.parse({}));
const name = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-"').describe('dataset name (datasets/<name>/ in the bucket)');
const pin = z
  .string()
  .regex(/^(0x[0-9a-f]{64})?$/, 'a 0x-prefixed blake2b-256 hex digest')
  .default('')
  .describe('refuse the dataset unless its manifest has this hash (empty: any)');
const deadlineMs = z.number().int().min(0).default(10_000).describe('keep retrying a missing or damaged object this long (ms)');

const prepareSchema = z.strictObject({
  input: z.string().min(1).default('sotu').describe("text to tokenize: 'sotu' (the corpus shipped with @crucible/model), a file, or a folder (all files, sorted by path)"),
  name,
  tokenizer: z.enum(TOKENIZER_NAMES).default('bytes').describe('vocabulary: bytes (the default model presets) or gpt2 (the -gpt2 presets)'),
  pageSize: z.number().int().min(2).max(2 ** 24).default(prepareDefaults.pageSize).describe('tokens per page (the unit miners are assigned and fetch)'),
  shardPages: z.number().int().min(1).max(2 ** 20).default(prepareDefaults.shardPages).describe('pages per shard object'),
  valEvery: z.number().int().min(2).default(prepareDefaults.valEvery).describe('hold out every n-th page for validation'),
  overwrite: z.boolean().default(false).describe('replace a dataset already published under this name'),
  threads: z.number().int().min(1).max(256).default(1).describe('tokenizer threads (gpt2; the shards are the same for any count)'),
  storage,
  logging,
});

const inspectSchema = z.strictObject({
  name,
  manifestHash: pin,
  quick: z.boolean().default(false).describe('check sizes, headers and indexes only (no whole-shard downloads)'),
  deadlineMs,
  storage,
  logging,
});

const sampleSchema = z.strictObject({
  name,
  manifestHash: pin,
  page: z.number().int().min(0).default(0).describe('page index within --split'),
  split: z.enum(['global', 'train', 'val']).default('global').describe('page numbering: all pages, training pages or validation pages'),
  deadlineMs,
  storage,
  logging,
});

export const dataCli: CliSpec = {
  name: 'crucible-data',
  description: 'publish, check and read tokenized, sharded datasets in S3-compatible storage',
  envPrefix: 'CRUCIBLE_DATA',
  commands: {
    prepare: defineCommand({
      summary: 'tokenize text into shards and publish them with a manifest',
      details: 'Prints a progress line per second and per shard, then the dataset reference as one JSON line.',
      schema: prepareSchema,
      async run(c, { print, signal, logger }) {
        const store = openDataStore(c.storage, 'write');
        try {
          if (c.storage.createBucket) await store.ensureBucket();
          const tokenizer = await loadTokenizer(c.tokenizer);
          const result = await prepareDataset({
            source: c.input,
            tokenizer,
            store,
            name: c.name,
            pageSize: c.pageSize,
            shardPages: c.shardPages,
            valEvery: c.valEvery,
            overwrite: c.overwrite,
            threads: c.threads,
            signal,
            onProgress: (p: PrepareProgress) => print(formatProgress(p)),
          });
          logger.info('published', { dataset: c.name, manifestHash: result.manifestHash });
          for (const line of describeManifest(result.manifest)) print(line);
          print(JSON.stringify({ dataset: c.name, bucket: store.bucket, manifestKey: result.manifestKey, manifestHash: result.manifestHash }));
        } finally {
          store.close();
        }
      },
    }),
    inspect: defineCommand({
      summary: "print a dataset's manifest and verify its shards (exit 1 when any fails)",
      schema: inspectSchema,
      async run(c, { print }) {
        const store = openDataStore(c.storage, 'read');
        try {
          const { manifest, hash } = await fetchDatasetManifest(store, c.name, { expectedHash: c.manifestHash || undefined, deadlineMs: c.deadlineMs });
          print(`dataset ${c.name} in bucket ${store.bucket}, manifest hash ${hash}`);
          for (const line of describeManifest(manifest)) print(line);
          const { ok, shards } = await verifyDataset(store, c.name, manifest, {
            full: !c.quick,
            onShard: (s) => print(s.ok ? `shard ${s.shard} ok` : `shard ${s.shard} FAILED ${s.error!.code}: ${s.error!.message}`),
          });
          const failed = shards.filter((s) => !s.ok).length;
          print(ok ? `all ${shards.length} shards verified${c.quick ? ' (quick)' : ''}` : `${failed} of ${shards.length} shards failed verification`);
          return ok ? 0 : 1;
        } finally {
          store.close();
        }
      },
    }),
    sample: defineCommand({
      summary: 'decode one page back to text',
      schema: sampleSchema,
      async run(c, { print, logger }) {
        const store = openDataStore(c.storage, 'read');
        const cacheDir = await mkdtemp(join(tmpdir(), 'crucible-data-sample-'));
        try {
          const reader = await DatasetReader.open({ store, name: c.name, manifestHash: c.manifestHash || undefined, cacheDir, deadlineMs: c.deadlineMs, logger });
          const tokenizer = await loadTokenizer(reader.manifest.tokenizer.name);
          const page = await reader.page(c.page, c.split);
          logger.info('page', { dataset: c.name, split: c.split, page: c.page, global: reader.globalPage(c.page, c.split), tokens: page.length });
          print(tokenizer.decode(page));
        } finally {
          store.close();
          await rm(cacheDir, { recursive: true, force: true });
        }
      },
    }),
  },
};

export default dataCli;
// Run directly (node dist/cli.js …); `crucible-data` itself is the launcher bin/crucible-data.js, which
// npm links and which calls runCliMain (a symlinked path would not equal this module's URL).
runCliIfMain(import.meta.url, dataCli);
