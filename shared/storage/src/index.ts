export { bucketConfigSchema, credentialFlagsSchema } from './config.js';
export type { BucketConfig, BucketConfigInput, StorageCredentials } from './config.js';
export {
  CHECKPOINT_MANIFEST_FILE,
  checkpointKey,
  checkpointManifestKey,
  CHECKPOINTS_PREFIX,
  checkpointsWindowPrefix,
  DATASET_MANIFEST_FILE,
  DATASET_SHARD_EXTENSION,
  datasetManifestKey,
  datasetPrefix,
  DATASETS_PREFIX,
  datasetShardKey,
  GRADIENT_EXTENSION,
  gradientKey,
  GRADIENTS_PREFIX,
  gradientsWindowPrefix,
  hotkeyOfGradientKey,
  parseDatasetKey,
  parseKey,
} from './keys.js';
export type { ParsedDatasetKey, ParsedKey } from './keys.js';
export { CONTENT_HASH_METADATA } from './objectStore.js';
export type { GetOptions, ObjectInfo, ObjectStore, PutOptions, PutResult, RangeOptions, StoredObject } from './objectStore.js';
export { contentHash } from './contentHash.js';
export { createMemoryStore } from './memoryStore.js';
export { createS3Store } from './s3Store.js';
export type { S3Store, S3StoreOptions } from './s3Store.js';
export { isRetryableStorageError, mapS3Error } from './s3Error.js';
export { withRetry } from './retry.js';
export type { RetryOptions } from './retry.js';
export { deleteWindowsOlderThan } from './retention.js';
export { listGradients } from './listGradients.js';
export type { GradientObject } from './listGradients.js';
