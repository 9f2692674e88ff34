// @crucible/data — the public API. Names are listed explicitly; index.test.ts pins the list.

// Formats: shards, manifests, the reference a run configuration pins
export { decodeShardHeader, encodeShardHeader, PAGE_HASH_BYTES, pageRange, SHARD_HEADER_BYTES, SHARD_MAGIC, SHARD_VERSION, shardBytes, shardIndexBytes } from './shardFormat.js';
export type { ShardHeader } from './shardFormat.js';
export { pageHash, ShardBuilder } from './shardBuilder.js';
export type { BuiltShard, ShardBuilderOptions } from './shardBuilder.js';
export {
  canonicalJson,
  DATASET_FORMAT,
  DATASET_MANIFEST_VERSION,
  datasetManifestSchema,
  decodeManifest,
  encodeManifest,
  manifestHash,
  shardEntrySchema,
} from './manifest.js';
export type { DatasetManifest, ShardEntry } from './manifest.js';
export { datasetRefSchema } from './datasetRef.js';
export type { DatasetRef, DatasetRefInput } from './datasetRef.js';

// Publishing and checking a dataset
export { prepareDataset, prepareDefaults } from './prepareDataset.js';
export type { PrepareDatasetOptions, PreparedDataset, PrepareProgress } from './prepareDataset.js';
export { fetchDatasetManifest } from './fetchDatasetManifest.js';
export type { FetchManifestOptions } from './fetchDatasetManifest.js';
export { verifyDataset } from './verifyDataset.js';
export type { ShardCheck, VerifyOptions } from './verifyDataset.js';

// Reading pages
export { DatasetReader } from './datasetReader.js';
export type { DatasetReaderOptions, PageSplit, PrefetchReport, ReaderStats } from './datasetReader.js';
export { checkDatasetFitsModel, openDataset } from './openDataset.js';
export type { OpenDatasetOptions } from './openDataset.js';
export { PageCache } from './pageCache.js';
export type { PageCacheOptions } from './pageCache.js';
export { claimCacheDir } from './cacheSlot.js';
export type { CacheSlot } from './cacheSlot.js';

// A run's text: the dataset its configuration pins (or the shipped corpus), as miners and validators read it
export { datasetCorpusSource, openRunData, runDataKey } from './runData.js';
export type { RunData, RunDataOptions, RunDataSpec } from './runData.js';
export { RunDataHolder } from './runDataHolder.js';
export { datasetFlagsSchema, pinDataset } from './pinDataset.js';
export type { DatasetFlags, PinnedDataset } from './pinDataset.js';
