export { bucketConfigSchema, credentialFlagsSchema } from './config.js';
export type { BucketConfig, BucketConfigInput, StorageCredentials } from './config.js';
export { bucketFlagsSchema, ownBucket } from './bucketFlags.js';
export type { BucketFlags, OwnBucket } from './bucketFlags.js';
export {
  BUCKET_POINTER_VERSION,
  decodeBucketPointer,
  encodeBucketPointer,
  MAX_COMMITMENT_BYTES,
  pointerFromCommitment,
  s3PointerSchema,
} from './bucketPointer.js';
export type { BucketPointer, S3Pointer } from './bucketPointer.js';
export {
  CHECKPOINT_MANIFEST_FILE,
  CHECKPOINT_PARAMS_FILE,
  checkpointKey,
  checkpointManifestKey,
  checkpointParamsKey,
  CHECKPOINTS_PREFIX,
  checkpointsWindowPrefix,
  GRADIENT_EXTENSION,
  gradientKey,
  GRADIENTS_PREFIX,
  gradientsWindowPrefix,
  hotkeyOfGradientKey,
  parseKey,
} from './keys.js';
export type { ParsedKey } from './keys.js';
export { CONTENT_HASH_METADATA } from './objectStore.js';
export type { GetOptions, ObjectInfo, ObjectStore, PutOptions, PutResult, StoredObject } from './objectStore.js';
export { contentHash } from './contentHash.js';
export { createMemoryStore } from './memoryStore.js';
export { PeerStores } from './peerStores.js';
export { createS3Store } from './s3Store.js';
export type { S3Store, S3StoreOptions } from './s3Store.js';
export { isRetryableStorageError, mapS3Error } from './s3Error.js';
export { withRetry } from './retry.js';
export type { RetryOptions } from './retry.js';
export { deleteWindowsOlderThan } from './retention.js';
export { listGradients } from './listGradients.js';
export type { GradientObject } from './listGradients.js';
