import { describeError, type Keypair, type Logger } from '@crucible/core';
import { ensureCommitment, type ChainClient } from '@crucible/chain';
import { createS3Store, encodeBucketPointer, ownBucket, type BucketFlags, type BucketPointer, type S3Store } from '@crucible/storage';

/** This validator's own bucket (created when missing and allowed), from its storage flags. */
export async function openOwnStore(flags: BucketFlags): Promise<{ store: S3Store; pointer: BucketPointer }> {
  const bucket = ownBucket(flags);
  const store = createS3Store(bucket.config, { access: 'write' });
  if (bucket.createBucket) await store.ensureBucket();
  return { store, pointer: bucket.pointer };
}

/**
 * Publishes the bucket pointer as this hotkey's commitment when the chain holds something else.
 * A rate-limited or refused commitment is logged with its cause, not fatal: the previous one stands.
 */
export async function commitBucketPointer(client: ChainClient, hotkey: Keypair, netuid: number, pointer: BucketPointer, logger?: Logger): Promise<boolean> {
  try {
    const outcome = await ensureCommitment(client, hotkey, netuid, encodeBucketPointer(pointer));
    if (outcome === 'set') logger?.info('bucket pointer committed', { netuid, hotkey: hotkey.address });
    return outcome === 'set';
  } catch (error) {
    logger?.warn('could not commit the bucket pointer', { error: describeError(error) });
    return false;
  }
}
