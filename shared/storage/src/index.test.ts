import { expect, it } from 'vitest';
import * as storage from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(storage).sort()).toMatchInlineSnapshot(`
    [
      "CHECKPOINTS_PREFIX",
      "CHECKPOINT_MANIFEST_FILE",
      "CONTENT_HASH_METADATA",
      "DATASETS_PREFIX",
      "DATASET_MANIFEST_FILE",
      "DATASET_SHARD_EXTENSION",
      "GRADIENTS_PREFIX",
      "GRADIENT_EXTENSION",
      "bucketConfigSchema",
      "checkpointKey",
      "checkpointManifestKey",
      "checkpointsWindowPrefix",
      "contentHash",
      "createMemoryStore",
      "createS3Store",
      "credentialFlagsSchema",
      "datasetManifestKey",
      "datasetPrefix",
      "datasetShardKey",
      "deleteWindowsOlderThan",
      "gradientKey",
      "gradientsWindowPrefix",
      "hotkeyOfGradientKey",
      "isRetryableStorageError",
      "listGradients",
      "mapS3Error",
      "parseDatasetKey",
      "parseKey",
      "withRetry",
    ]
  `);
});
