import { expect, it } from 'vitest';
import * as storage from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(storage).sort()).toMatchInlineSnapshot(`
    [
      "CHECKPOINTS_PREFIX",
      "CHECKPOINT_MANIFEST_FILE",
      "CONTENT_HASH_METADATA",
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
      "deleteWindowsOlderThan",
      "gradientKey",
      "gradientsWindowPrefix",
      "hotkeyOfGradientKey",
      "isRetryableStorageError",
      "listGradients",
      "mapS3Error",
      "parseKey",
      "withRetry",
    ]
  `);
});
