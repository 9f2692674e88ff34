import { expect, it } from 'vitest';
import * as data from './index.js';

// The public surface of @crucible/data: a change here is a change to what other packages can rely on.
it('exposes exactly this public API', () => {
  expect(Object.keys(data).sort()).toMatchInlineSnapshot(`
    [
      "DATASET_FORMAT",
      "DATASET_MANIFEST_VERSION",
      "DatasetReader",
      "PAGE_HASH_BYTES",
      "PageCache",
      "RunDataHolder",
      "SHARD_HEADER_BYTES",
      "SHARD_MAGIC",
      "SHARD_VERSION",
      "ShardBuilder",
      "canonicalJson",
      "checkDatasetFitsModel",
      "claimCacheDir",
      "datasetCorpusSource",
      "datasetFlagsSchema",
      "datasetManifestSchema",
      "datasetRefSchema",
      "decodeManifest",
      "decodeShardHeader",
      "encodeManifest",
      "encodeShardHeader",
      "fetchDatasetManifest",
      "manifestHash",
      "openDataset",
      "openRunData",
      "pageHash",
      "pageRange",
      "pinDataset",
      "prepareDataset",
      "prepareDefaults",
      "runDataKey",
      "shardBytes",
      "shardEntrySchema",
      "shardIndexBytes",
      "verifyDataset",
    ]
  `);
});
