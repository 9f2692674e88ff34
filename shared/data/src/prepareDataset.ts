import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CrucibleError, cryptoReady } from '@crucible/core';
import { corpusFiles, createTextChunker, DEFAULT_CORPUS, dtypeForVocab, splitCounts, type DocumentPiece, type Tokenizer } from '@crucible/model';
import { datasetManifestKey, datasetPrefix, datasetShardKey, parseDatasetKey, type ObjectStore } from '@crucible/storage';
import { DATASET_FORMAT, DATASET_MANIFEST_VERSION, encodeManifest, manifestHash, type DatasetManifest, type ShardEntry } from './manifest.js';
import { ShardBuilder, type BuiltShard } from './shardBuilder.js';
import { TokenizePool } from './tokenizePool.js';

export const prepareDefaults = { pageSize: 4096, shardPages: 4096, valEvery: 20 } as const;

export interface PrepareDatasetOptions {
  /** `sotu` (the shipped corpus), a text file, or a folder of them (see corpusFiles for the order). */
  readonly source: string;
  readonly tokenizer: Tokenizer;
  /** Write access to the bucket the dataset is published in. */
  readonly store: ObjectStore;
  /** The dataset's name in the bucket: `datasets/<name>/…`. */
  readonly name: string;
  readonly pageSize?: number;
  readonly shardPages?: number;
  readonly valEvery?: number;
  /** Replace a dataset already published under this name (runs pinned to it will then refuse it). */
  readonly overwrite?: boolean;
  /**
   * Tokenizer threads (worker threads with capped heaps; bytes need none). Default 1. The ids are the
   * same for any count.
   */
  readonly threads?: number;
  /** Bytes read from a file at a time. Default 64 KiB (decoded strings stay small, young-generation garbage). */
  readonly readChunkBytes?: number;
  /** Retry budget of one shard upload (ms). Default 300,000. */
  readonly uploadDeadlineMs?: number;
  readonly onProgress?: (progress: PrepareProgress) => void;
  /** At most one `tokenizing` progress report per this many ms. Default 1000. */
  readonly progressEveryMs?: number;
  readonly signal?: AbortSignal;
}

export interface PrepareProgress {
  readonly phase: 'tokenizing' | 'shard' | 'done';
  readonly textBytes: number;
  readonly totalTextBytes: number;
  readonly documents: number;
  readonly totalDocuments: number;
  readonly tokens: number;
  readonly shards: number;
  readonly elapsedMs: number;
  /** Time spent reading and tokenizing so far (everything but uploads). */
  readonly tokenizeMs: number;
}

export interface PreparedDataset {
  readonly manifest: DatasetManifest;
  readonly manifestHash: `0x${string}`;
  readonly manifestKey: string;
  /** Ids produced (including the dropped tail). */
  readonly tokens: number;
  readonly textBytes: number;
  readonly elapsedMs: number;
  /** Reading and tokenizing (everything but uploads). */
  readonly tokenizeMs: number;
  readonly uploadMs: number;
}

/**
 * Tokenizes a corpus as a stream (one shard in memory however large the text), cuts the ids into pages
 * and shards, uploads every shard, then the manifest — last, so a dataset is visible only when whole.
 * The result is a pure function of the text and the settings: the same input gives the same manifest hash.
 */
export async function prepareDataset(options: PrepareDatasetOptions): Promise<PreparedDataset> {
  const started = performance.now();
  await cryptoReady();
  const { tokenizer, store, name, signal } = options;
  const pageSize = options.pageSize ?? prepareDefaults.pageSize;
  const shardPages = options.shardPages ?? prepareDefaults.shardPages;
  const valEvery = options.valEvery ?? prepareDefaults.valEvery;
  const manifestKey = datasetManifestKey(name);
  if (!options.overwrite && (await store.head(manifestKey)) !== undefined) {
    throw new CrucibleError('USAGE', `dataset ${name} is already published (${manifestKey}); pass --overwrite to replace it (runs pinned to its hash will refuse the new one)`, {
      details: { dataset: name, key: manifestKey },
    });
  }
  const corpus = await corpusFiles(options.source);
  const totalTextBytes = corpus.files.reduce((n, f) => n + f.size, 0);
  const dtype = dtypeForVocab(tokenizer.vocabSize);
  const builder = new ShardBuilder({ dtype, pageSize, shardPages });
  const chunker = createTextChunker(tokenizer);
  const threads = options.threads ?? 1;
  // Text is tokenized on worker threads (one by default) whose heaps are capped, so peak memory is the
  // same for any size of text; bytes need no tokenizing.
  const pool = tokenizer.input === 'text' ? new TokenizePool(tokenizer.name, threads) : undefined;
  // Pieces in order, encoding (on the pool) or encoded; a few per thread keep every thread busy. On
  // this thread each piece is used at once (held pieces would outlive young-generation collections).
  const inFlight: Promise<ArrayLike<number>>[] = [];
  const maxInFlight = pool ? 4 * threads : 0;
  const shards: ShardEntry[] = [];
  let textBytes = 0;
  let tokens = 0;
  let documents = 0;
  let tokenizeMs = 0;
  let uploadMs = 0;
  let droppedTokens = 0;
  let lastReport = 0;

  const report = (phase: PrepareProgress['phase']) => {
    const elapsedMs = performance.now() - started;
    if (phase !== 'done') tokenizeMs = elapsedMs - uploadMs;
    options.onProgress?.({ phase, textBytes, totalTextBytes, documents, totalDocuments: corpus.files.length, tokens, shards: shards.length, elapsedMs, tokenizeMs });
  };

  const upload = async (shard: BuiltShard) => {
    const t0 = performance.now();
    const index = shards.length;
    const put = await store.put(datasetShardKey(name, index), shard.bytes, { deadlineMs: options.uploadDeadlineMs ?? 300_000 });
    if (put.contentHash !== shard.contentHash) throw new CrucibleError('INTERNAL', `shard ${index} hashed differently on upload`);
    shards.push({ pages: shard.pages, bytes: shard.bytes.length, contentHash: shard.contentHash, indexHash: shard.indexHash });
    droppedTokens += shard.droppedTokens;
    uploadMs += performance.now() - t0;
    report('shard');
  };

  const take = async (ids: ArrayLike<number>) => {
    tokens += ids.length;
    for (let at = 0; at < ids.length; ) {
      at += builder.append(ids, at);
      if (builder.full) await upload(builder.finish(shards.length)!);
    }
  };

  const submit = async (pieces: DocumentPiece[]) => {
    for (const piece of pieces) {
      const ids = typeof piece !== 'string' ? Promise.resolve(piece) : pool ? pool.encode(piece) : Promise.resolve(tokenizer.encode(piece));
      ids.catch(() => undefined); // awaited in order below; this only keeps an early failure from going unhandled
      inFlight.push(ids);
      while (inFlight.length > maxInFlight) await take(await inFlight.shift()!);
    }
  };

  try {
    for (const file of corpus.files) {
      for await (const chunk of createReadStream(file.path, { highWaterMark: options.readChunkBytes ?? 2 ** 16 })) {
        if (signal?.aborted) throw new CrucibleError('INTERNAL', 'preparing the dataset was interrupted', { cause: signal.reason });
        const bytes = chunk as Buffer;
        textBytes += bytes.length;
        await submit(chunker.write(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)));
        if (performance.now() - lastReport >= (options.progressEveryMs ?? 1000)) {
          lastReport = performance.now();
          report('tokenizing');
        }
      }
      await submit(chunker.end());
      documents++;
    }
    while (inFlight.length > 0) await take(await inFlight.shift()!);
  } finally {
    await pool?.close();
  }
  const last = builder.finish(shards.length);
  if (last !== undefined) await upload(last);
  else droppedTokens += tokens - shards.reduce((n, s) => n + s.pages, 0) * pageSize;
  tokenizeMs = performance.now() - started - uploadMs;

  const pageCount = shards.reduce((n, s) => n + s.pages, 0);
  const split = splitCounts(pageCount, valEvery);
  if (split.trainPages < 1 || split.valPages < 1) {
    throw new CrucibleError('DATA', `${corpus.description} makes ${pageCount} pages of ${pageSize} tokens; holding out every ${valEvery}th needs at least ${valEvery}`, {
      details: { tokens, pageSize, valEvery },
    });
  }
  const manifest: DatasetManifest = {
    format: DATASET_FORMAT,
    version: DATASET_MANIFEST_VERSION,
    // The package name for the shipped corpus; for local text only the file or folder name, so the hash
    // does not depend on where on the owner's disk the text was.
    source: (options.source === DEFAULT_CORPUS ? corpus.description : basename(resolve(options.source))).slice(0, 1000),
    tokenizer: { name: tokenizer.name, version: tokenizer.version },
    vocabSize: tokenizer.vocabSize,
    dtype,
    pageSize,
    shardPages,
    split: { rule: 'every', valEvery },
    documentSeparator: [...tokenizer.documentSeparator],
    documents,
    textBytes,
    droppedTokens,
    pageCount,
    trainPages: split.trainPages,
    valPages: split.valPages,
    shards,
  };
  const body = encodeManifest(manifest);
  await removeStaleShards(store, name, shards.length);
  await store.put(manifestKey, body, { contentType: 'application/json', deadlineMs: options.uploadDeadlineMs ?? 300_000 });
  report('done');
  return { manifest, manifestHash: manifestHash(manifest), manifestKey, tokens, textBytes, elapsedMs: performance.now() - started, tokenizeMs, uploadMs };
}

/** Deletes shards numbered past `count` left by an earlier, larger dataset of the same name. */
async function removeStaleShards(store: ObjectStore, name: string, count: number): Promise<void> {
  const stale = (await store.list(`${datasetPrefix(name)}shards/`)).map((o) => o.key).filter((key) => {
    const parsed = parseDatasetKey(key);
    return parsed?.file === 'shard' && parsed.shard >= count;
  });
  if (stale.length > 0) await store.delete(stale);
}
