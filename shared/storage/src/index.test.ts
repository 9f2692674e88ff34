import { expect, it } from 'vitest';
import * as storage from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(storage).sort()).toMatchInlineSnapshot(`
    [
      "CONTENT_HASH_METADATA",
      "PeerStores",
      "bucketFlagsSchema",
      "checkpointKey",
      "checkpointManifestKey",
      "checkpointParamsKey",
      "checkpointsWindowPrefix",
      "contentHash",
      "createMemoryStore",
      "createS3Store",
      "deleteWindowsOlderThan",
      "encodeBucketPointer",
      "gradientsWindowPrefix",
      "ownBucket",
      "pointerFromCommitment",
      "s3PointerSchema",
      "sealKeyKey",
      "sealedUpdateKey",
    ]
  `);
});
