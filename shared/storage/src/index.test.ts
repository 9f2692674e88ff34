import { expect, it } from 'vitest';
import * as storage from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(storage).sort()).toMatchInlineSnapshot(`
    [
      "CONTENT_HASH_METADATA",
      "PeerStores",
      "bucketConfigSchema",
      "bucketFlagsSchema",
      "checkpointKey",
      "checkpointManifestKey",
      "checkpointParamsKey",
      "checkpointsWindowPrefix",
      "contentHash",
      "createMemoryStore",
      "createS3Store",
      "credentialFlagsSchema",
      "datasetManifestKey",
      "datasetPrefix",
      "datasetShardKey",
      "deleteWindowsOlderThan",
      "encodeBucketPointer",
      "gradientsWindowPrefix",
      "isRetryableStorageError",
      "ownBucket",
      "parseDatasetKey",
      "pointerFromCommitment",
      "s3PointerSchema",
      "sealKeyKey",
      "sealedUpdateKey",
      "withRetry",
    ]
  `);
});
