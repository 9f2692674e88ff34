import { expect, it } from 'vitest';
import * as storage from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(storage).sort()).toMatchInlineSnapshot(`
    [
      "BUCKET_POINTER_VERSION",
      "CHECKPOINTS_PREFIX",
      "CHECKPOINT_MANIFEST_FILE",
      "CHECKPOINT_PARAMS_FILE",
      "CONTENT_HASH_METADATA",
      "GRADIENTS_PREFIX",
      "GRADIENT_EXTENSION",
      "MAX_COMMITMENT_BYTES",
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
      "decodeBucketPointer",
      "deleteWindowsOlderThan",
      "encodeBucketPointer",
      "gradientKey",
      "gradientsWindowPrefix",
      "hotkeyOfGradientKey",
      "isRetryableStorageError",
      "listGradients",
      "mapS3Error",
      "ownBucket",
      "parseKey",
      "pointerFromCommitment",
      "s3PointerSchema",
      "withRetry",
    ]
  `);
});
