import { CrucibleError, type Logger } from '@crucible/core';
import { loadCorpus, vocabSizeOf, VOCAB_SIZE, type Batch, type BatchSource, type Corpus, type GptConfig, type PrngSeed, type TokenArray } from '@crucible/model';
import { claimCacheDir, type CacheSlot } from './cacheSlot.js';
import type { DatasetReader, PrefetchReport } from './datasetReader.js';
import type { DatasetRef } from './datasetRef.js';
import { checkDatasetFitsModel, openDataset } from './openDataset.js';

/** The corpus source a run configuration names when its text is the dataset `name` (see RunDataSpec). */
export function datasetCorpusSource(name: string): string {
  return `dataset:${name}`;
}

/**
 * What a run configuration says about its text (structurally @crucible/protocol's RunConfig): with a
 * `dataset`, pages come from that published dataset and `corpus` repeats its page geometry
 * (`source` = datasetCorpusSource(name)); without one, every party loads `corpus.source` whole.
 */
export interface RunDataSpec {
  readonly dataset?: DatasetRef | undefined;
  readonly corpus: { readonly source: string; readonly pageSize: number; readonly valEvery: number; readonly trainPages: number };
  readonly model: GptConfig;
}

export interface RunDataOptions {
  /**
   * Folder for dataset page caches: this process claims its own slot folder in it (claimCacheDir), so
   * several processes may share one root. Only used when the run names a dataset.
   */
  readonly cacheRoot: string;
  /** Disk bound of this process's cache. Default 1 GiB. */
  readonly cacheBytes?: number;
  /** Time allowed for one page read, retries included (ms). Default 120,000. */
  readonly deadlineMs?: number;
  readonly logger?: Logger;
}

/**
 * A run's text as every party reads it: training and validation batches (identical on either source),
 * the training pages themselves, and prefetching. On a dataset only the pages asked for are fetched
 * (verified, cached on disk within the bound); the shipped corpus is held whole, as before.
 */
export interface RunData extends BatchSource {
  readonly kind: 'dataset' | 'corpus';
  /** For logs: the dataset's name and manifest hash, or the corpus source. */
  readonly description: string;
  trainBatch(pageIndices: readonly number[], batchSize: number, seqLen: number, seed: PrngSeed): Promise<Batch>;
  validationBatch(batchSize: number, seqLen: number, seed?: PrngSeed): Promise<Batch>;
  /** Training pages (assignPages numbering), verified, in the order asked. Do not modify them. */
  trainPages(indices: readonly number[]): Promise<TokenArray[]>;
  /** Brings training pages into the disk cache ahead of use; never rejects. */
  prefetch(indices: readonly number[]): Promise<PrefetchReport>;
  /** Disk cache use (zero for the in-memory corpus). */
  cacheUse(): { bytes: number; entries: number; maxBytes: number };
  /** Closes the dataset's store and frees the cache slot. Idempotent. */
  close(): Promise<void>;
}

/**
 * A key that changes exactly when what openRunData reads or checks changes (to reuse an open RunData):
 * the text, the run's description of its pages, and the model's vocabulary and context.
 */
export function runDataKey(spec: RunDataSpec): string {
  const d = spec.dataset;
  const c = spec.corpus;
  const text = d ? ['dataset', d.location.endpoint, d.location.bucket, d.name, d.manifestHash] : ['corpus'];
  return JSON.stringify([...text, c.source, c.pageSize, c.valEvery, c.trainPages, vocabSizeOf(spec.model), spec.model.blockSize]);
}

/**
 * Opens the text a run configuration names, checked against it: the dataset's manifest (pinned by its
 * hash) must have the run's page size, split and training page count, and fit the model's vocabulary
 * and context; a local corpus must give the run's training page count (else another text is loaded).
 * Mismatches are CONFIG_INVALID; an unreadable or corrupt dataset is the reader's error (retried first).
 */
export async function openRunData(spec: RunDataSpec, options: RunDataOptions): Promise<RunData> {
  return spec.dataset ? openDatasetData(spec, spec.dataset, options) : openCorpusData(spec);
}

async function openDatasetData(spec: RunDataSpec, ref: DatasetRef, o: RunDataOptions): Promise<RunData> {
  const slot = await claimCacheDir(o.cacheRoot);
  let reader: DatasetReader;
  try {
    reader = await openDataset(ref, {
      cacheDir: slot.dir,
      ...(o.cacheBytes !== undefined ? { cacheBytes: o.cacheBytes } : {}),
      ...(o.deadlineMs !== undefined ? { deadlineMs: o.deadlineMs } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
    });
  } catch (error) {
    await slot.release();
    throw error;
  }
  try {
    checkSpecMatchesManifest(spec, ref, reader);
  } catch (error) {
    reader.close();
    await slot.release();
    throw error;
  }
  return datasetData(reader, slot);
}

function checkSpecMatchesManifest(spec: RunDataSpec, ref: DatasetRef, reader: DatasetReader): void {
  const m = reader.manifest;
  const c = spec.corpus;
  const expected = { source: datasetCorpusSource(ref.name), pageSize: m.pageSize, valEvery: m.split.valEvery, trainPages: m.trainPages };
  const differs = (Object.keys(expected) as (keyof typeof expected)[]).filter((k) => c[k] !== expected[k]);
  if (differs.length > 0) {
    throw new CrucibleError('CONFIG_INVALID', `the run configuration's corpus (${differs.map((k) => `${k} ${c[k]}`).join(', ')}) does not describe dataset ${ref.name} (${differs.map((k) => `${k} ${expected[k]}`).join(', ')})`, {
      details: { run: c, dataset: expected },
    });
  }
  checkDatasetFitsModel(m, spec.model);
}

function datasetData(reader: DatasetReader, slot: CacheSlot): RunData {
  let closed: Promise<void> | undefined;
  return {
    kind: 'dataset',
    description: `dataset ${reader.name} (${reader.manifestHash})`,
    trainPageCount: reader.trainPageCount,
    valPageCount: reader.valPageCount,
    trainBatch: (pages, batchSize, seqLen, seed) => reader.trainBatch(pages, batchSize, seqLen, seed),
    validationBatch: (batchSize, seqLen, seed) => reader.validationBatch(batchSize, seqLen, seed),
    trainPages: (indices) => reader.pages(indices, 'train'),
    prefetch: (indices) => reader.prefetch(indices, 'train'),
    cacheUse: () => reader.cacheUse,
    close: () =>
      (closed ??= (async () => {
        reader.close();
        await slot.release();
      })()),
  };
}

async function openCorpusData(spec: RunDataSpec): Promise<RunData> {
  const c = spec.corpus;
  if (vocabSizeOf(spec.model) !== VOCAB_SIZE) {
    throw new CrucibleError('CONFIG_INVALID', `a model with a vocabulary of ${vocabSizeOf(spec.model)} needs a dataset tokenized for it; the corpus ${c.source} is read as bytes`);
  }
  const corpus: Corpus = await loadCorpus(c.source, { pageSize: c.pageSize, valEvery: c.valEvery });
  if (corpus.trainPageCount !== c.trainPages) {
    throw new CrucibleError('DATA', `corpus ${c.source} has ${corpus.trainPageCount} training pages here, the run configuration says ${c.trainPages}: not the same text`, {
      details: { here: corpus.trainPageCount, run: c.trainPages },
    });
  }
  return {
    kind: 'corpus',
    description: `corpus ${corpus.source}`,
    trainPageCount: corpus.trainPageCount,
    valPageCount: corpus.valPageCount,
    trainBatch: async (pages, batchSize, seqLen, seed) => corpus.trainBatch(pages, batchSize, seqLen, seed),
    validationBatch: async (batchSize, seqLen, seed) => corpus.validationBatch(batchSize, seqLen, seed),
    trainPages: async (indices) => indices.map((i) => corpus.trainPage(i)),
    prefetch: async (indices) => ({ pages: indices.length, failed: [] }),
    cacheUse: () => ({ bytes: 0, entries: 0, maxBytes: 0 }),
    close: async () => undefined,
  };
}
