import { z } from 'zod';
import { CrucibleError } from '@crucible/core';
import { bucketConfigSchema, createS3Store, credentialFlagsSchema, type S3Store } from '@crucible/storage';

/** The bucket flags of `crucible-data` (as the miner's `--storage.*`). */
export const dataStorageSchema = z.strictObject({
  endpoint: z.string().url().default('http://127.0.0.1:9100').describe('S3-compatible endpoint (R2: https://<account>.r2.cloudflarestorage.com)'),
  region: z.string().min(1).default('auto').describe('S3 region (R2: auto; the local S3 server accepts any)'),
  bucket: z.string().min(3).max(63).default('crucible-data').describe('bucket holding datasets/<name>/'),
  forcePathStyle: z.boolean().default(true).describe('path-style URLs (local servers, MinIO; harmless on R2)'),
  createBucket: z.boolean().default(true).describe('prepare: create the bucket when it does not exist'),
  write: credentialFlagsSchema('write credentials (prepare)'),
  read: credentialFlagsSchema('read-only credentials (inspect, sample; empty: the write credentials)'),
});

export type DataStorageConfig = z.output<typeof dataStorageSchema>;

/** The S3 store the flags describe, with write or read access; CONFIG_INVALID names the missing flags. */
export function openDataStore(s: DataStorageConfig, access: 'read' | 'write'): S3Store {
  const has = (c: { accessKeyId: string; secretAccessKey: string }) => c.accessKeyId !== '' && c.secretAccessKey !== '';
  const read = has(s.read) ? s.read : s.write;
  if (access === 'write' ? !has(s.write) : !has(read)) {
    throw new CrucibleError('CONFIG_INVALID', `storage.${access} credentials are required`, {
      details: { flags: [`--storage.${access}.access-key-id`, `--storage.${access}.secret-access-key`] },
    });
  }
  const parsed = bucketConfigSchema.safeParse({
    endpoint: s.endpoint,
    region: s.region,
    bucket: s.bucket,
    read,
    ...(has(s.write) ? { write: s.write } : {}),
    forcePathStyle: s.forcePathStyle,
  });
  if (!parsed.success) throw new CrucibleError('CONFIG_INVALID', `storage: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return createS3Store(parsed.data, { access });
}
