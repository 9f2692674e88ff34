import { CrucibleError } from '@crucible/core';
import { vocabSizeOf, type GptConfig } from '@crucible/model';
import { createS3Store } from '@crucible/storage';
import { DatasetReader, type DatasetReaderOptions } from './datasetReader.js';
import type { DatasetRef } from './datasetRef.js';
import type { DatasetManifest } from './manifest.js';

export type OpenDatasetOptions = Omit<DatasetReaderOptions, 'store' | 'name' | 'manifestHash'>;

/**
 * A reader for the dataset a run configuration names: a read-only S3 store for its location, the
 * manifest fetched and checked against the pinned hash. `close()` closes the store.
 */
export async function openDataset(ref: DatasetRef, options: OpenDatasetOptions): Promise<DatasetReader> {
  // A copy down to the key: the S3 client marks the credentials object it is given (a `$source` field),
  // and the reference is part of a run configuration that strict schemas check again later.
  const store = createS3Store({ ...ref.location, read: { ...ref.location.read } }, { access: 'read' });
  try {
    return await DatasetReader.open({ ...options, store, name: ref.name, manifestHash: ref.manifestHash }, () => store.close());
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * Throws CONFIG_INVALID unless a model can train on the dataset: the same vocabulary size, and pages
 * that hold at least one window of blockSize + 1 tokens.
 */
export function checkDatasetFitsModel(manifest: DatasetManifest, config: GptConfig): void {
  const vocab = vocabSizeOf(config);
  if (manifest.vocabSize !== vocab) {
    throw new CrucibleError('CONFIG_INVALID', `the dataset is tokenized with ${manifest.tokenizer.name} (${manifest.vocabSize} ids); the model has ${vocab}`, {
      details: { dataset: manifest.vocabSize, model: vocab },
    });
  }
  if (manifest.pageSize < config.blockSize + 1) {
    throw new CrucibleError('CONFIG_INVALID', `dataset pages of ${manifest.pageSize} tokens are shorter than the model's blockSize + 1 = ${config.blockSize + 1}`);
  }
}
