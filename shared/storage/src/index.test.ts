import { expect, it } from 'vitest';
import * as storage from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(storage).sort()).toMatchInlineSnapshot(`
    [
      "CONTENT_HASH_METADATA",
      "PeerStores",
      "ReadBudget",
      "bucketConfigSchema",
      "bucketFlagsSchema",
      "checkpointKey",
      "checkpointManifestKey",
      "checkpointParamsKey",
      "checkpointsWindowPrefix",
      "classifyAddress",
      "classifyReadFailure",
      "contentHash",
      "createMemoryStore",
      "createS3Store",
      "credentialFlagsSchema",
      "datasetManifestKey",
      "datasetPrefix",
      "datasetShardKey",
      "deleteWindowsOlderThan",
      "encodeBucketPointer",
      "endpointPolicyFromFlags",
      "endpointRefusal",
      "gradientsWindowPrefix",
      "isRetryableStorageError",
      "ownBucket",
      "ownBucketLimits",
      "parseDatasetKey",
      "peerBucketLimits",
      "peerEndpointFlagsSchema",
      "pointerFromCommitment",
      "publicEndpointsOnly",
      "s3PointerSchema",
      "sealKeyKey",
      "sealedUpdateKey",
      "withRetry",
    ]
  `);
});
