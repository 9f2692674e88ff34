import { describeError, type Keypair, type Logger } from '@crucible/core';
import { encodeBucketPointer, getCommitment, setCommitment, type BucketPointer, type ChainClient } from '@crucible/chain';
import { createS3Store, type BucketConfig, type S3Store } from '@crucible/storage';
import type { StorageOptions } from '../config.js';
import type { ReadPointer } from '../queue/evaluationJob.js';

/** This neuron's bucket as @crucible/storage's BucketConfig (read credentials default to the write ones). */
export function bucketConfigOf(s: StorageOptions): BucketConfig {
  const write = { accessKeyId: s.write.accessKeyId || 'crucible', secretAccessKey: s.write.secretAccessKey || 'crucible' };
  const read = s.read.accessKeyId ? { accessKeyId: s.read.accessKeyId, secretAccessKey: s.read.secretAccessKey } : write;
  return { endpoint: s.endpoint, region: s.region, bucket: s.bucket, read, write, forcePathStyle: s.forcePathStyle };
}

export async function openOwnStore(s: StorageOptions): Promise<S3Store> {
  const store = createS3Store(bucketConfigOf(s), { access: 'write' });
  await store.ensureBucket();
  return store;
}

export function pointerOf(s: StorageOptions): BucketPointer {
  const c = bucketConfigOf(s);
  return { kind: 's3', endpoint: c.endpoint, region: c.region, bucket: c.bucket, accessKeyId: c.read.accessKeyId, secretAccessKey: c.read.secretAccessKey };
}

export function readPointerOf(p: BucketPointer): ReadPointer | undefined {
  if (p.kind !== 's3') return undefined;
  return { endpoint: p.endpoint, region: p.region, bucket: p.bucket, accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey };
}

/**
 * Publishes the bucket pointer as this hotkey's commitment when the chain holds something else.
 * A rate-limited or refused commitment is logged with its cause, not fatal: the previous one stands.
 */
export async function ensureCommitment(client: ChainClient, hotkey: Keypair, netuid: number, pointer: BucketPointer, logger?: Logger): Promise<boolean> {
  const bytes = encodeBucketPointer(pointer);
  const current = await getCommitment(client, netuid, hotkey.address);
  if (current && Buffer.from(current.data).equals(Buffer.from(bytes))) return false;
  try {
    await setCommitment(client, hotkey, netuid, bytes);
    logger?.info('bucket pointer committed', { netuid, hotkey: hotkey.address });
    return true;
  } catch (error) {
    logger?.warn('could not commit the bucket pointer', { error: describeError(error) });
    return false;
  }
}
