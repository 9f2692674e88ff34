import { expect, it } from 'vitest';
import * as storage from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(storage).sort()).toMatchInlineSnapshot(`
    [
      "CONTENT_HASH_METADATA",
      "PeerStores",
      "ReadBudget",
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
      "deleteWindowsOlderThan",
      "encodeBucketPointer",
      "endpointPolicyFromFlags",
      "endpointRefusal",
      "gradientKey",
      "gradientsWindowPrefix",
      "ownBucket",
      "ownBucketLimits",
      "peerBucketLimits",
      "peerEndpointFlagsSchema",
      "pointerFromCommitment",
      "publicEndpointsOnly",
      "s3PointerSchema",
    ]
  `);
});
