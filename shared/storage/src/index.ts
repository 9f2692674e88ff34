export { bucketConfigSchema, credentialFlagsSchema } from './config.js';
export type { BucketConfig, BucketConfigInput, StorageCredentials } from './config.js';
export { bucketFlagsSchema, ownBucket, peerEndpointFlagsSchema } from './bucketFlags.js';
export type { BucketFlags, OwnBucket, PeerEndpointFlags } from './bucketFlags.js';
export { encodeBucketPointer, pointerFromCommitment, s3PointerSchema } from './bucketPointer.js';
export type { BucketPointer, S3Pointer } from './bucketPointer.js';
export {
  checkpointKey,
  checkpointManifestKey,
  checkpointParamsKey,
  checkpointsWindowPrefix,
  datasetManifestKey,
  datasetPrefix,
  datasetShardKey,
  gradientsWindowPrefix,
  parseDatasetKey,
  sealedUpdateKey,
  sealKeyKey,
} from './keys.js';
export type { ParsedDatasetKey } from './keys.js';
export { CONTENT_HASH_METADATA } from './objectStore.js';
export type { GetOptions, HeadResult, ListOptions, ObjectInfo, ObjectStore, PutOptions, PutResult, RangeOptions, ReadableStore, ReadOptions, StoredObject } from './objectStore.js';
export { contentHash } from './contentHash.js';
export { createMemoryStore } from './memoryStore.js';
export { classifyAddress } from './addressClass.js';
export type { AddressClass, AddressVerdict } from './addressClass.js';
export { endpointPolicyFromFlags, endpointRefusal, publicEndpointsOnly } from './endpointPolicy.js';
export type { EndpointPolicy, ForbiddenReason } from './endpointPolicy.js';
export { ReadBudget } from './readBudget.js';
export type { ReadBudgetOptions, ReadBudgetUsage } from './readBudget.js';
export { classifyReadFailure } from './readFailure.js';
export type { ReadFailure } from './readFailure.js';
export { ownBucketLimits, peerBucketLimits } from './storeLimits.js';
export type { StoreLimits } from './storeLimits.js';
export { PeerStores } from './peerStores.js';
export type { PeerStore, PeerStoresOptions } from './peerStores.js';
export { createS3Store } from './s3Store.js';
export type { S3Store, S3StoreOptions } from './s3Store.js';
export { deleteWindowsOlderThan } from './retention.js';
export { isRetryableStorageError } from './s3Error.js';
export { withRetry } from './retry.js';
export type { RetryOptions } from './retry.js';
