import { z } from 'zod';
import { CrucibleError, type Logger } from '@crucible/core';
import { bucketConfigSchema, createS3Store, credentialFlagsSchema } from '@crucible/storage';
import { datasetRefSchema, type DatasetRef } from './datasetRef.js';
import { fetchDatasetManifest } from './fetchDatasetManifest.js';
import type { DatasetManifest } from './manifest.js';

/**
 * The flags that name a published dataset for a run (`crucible-validator genesis --dataset.name …`):
 * where it is, the read-only key everyone will use (it is published in the signed run configuration,
 * never a write key), its name and the manifest hash `crucible-data prepare` printed.
 */
export function datasetFlagsSchema() {
  const schema = z.strictObject({
    name: z.string().default('').describe('published dataset to train on (datasets/<name>/ in --dataset.bucket); empty: every party loads --corpus whole'),
    manifestHash: z.string().default('').describe('the manifest hash `crucible-data prepare` printed; empty: pin the manifest found now'),
    endpoint: z.string().url().default('http://127.0.0.1:9100').describe('S3-compatible endpoint of the dataset\'s bucket, as miners and validators reach it'),
    region: z.string().min(1).default('auto').describe('S3 region of the dataset\'s bucket'),
    bucket: z.string().default('crucible-data').describe('bucket holding datasets/<name>/'),
    forcePathStyle: z.boolean().default(true).describe('path-style URLs (local servers, MinIO; harmless on R2)'),
    read: credentialFlagsSchema('read-only key of the dataset\'s bucket, published in the run configuration'),
  });
  return schema.default(schema.parse({}));
}

export type DatasetFlags = z.output<ReturnType<typeof datasetFlagsSchema>>;

/** A dataset reference pinned to the manifest found in storage, with that manifest. */
export interface PinnedDataset {
  readonly ref: DatasetRef;
  readonly manifest: DatasetManifest;
}

/**
 * Reads the manifest the flags name (with their read-only key, as every party will) and returns the
 * reference that pins it; undefined when no dataset is named. With `manifestHash` given, a manifest that
 * hashes otherwise is refused (DATA_CORRUPT); without it, the manifest found now is pinned.
 */
export async function pinDataset(flags: DatasetFlags, options: { deadlineMs?: number; logger?: Logger } = {}): Promise<PinnedDataset | undefined> {
  if (flags.name === '') {
    if (flags.manifestHash !== '') throw new CrucibleError('CONFIG_INVALID', '--dataset.manifest-hash needs --dataset.name');
    return undefined;
  }
  const missing = (['accessKeyId', 'secretAccessKey'] as const).filter((k) => flags.read[k] === '').map((k) => `--dataset.read.${k === 'accessKeyId' ? 'access-key-id' : 'secret-access-key'}`);
  if (missing.length > 0) {
    throw new CrucibleError('CONFIG_INVALID', `a dataset needs a read-only key, published in the run configuration: ${missing.join(', ')}`, { details: { missing } });
  }
  const parsed = datasetRefSchema.safeParse({
    location: { endpoint: flags.endpoint, region: flags.region, bucket: flags.bucket, forcePathStyle: flags.forcePathStyle, read: flags.read },
    name: flags.name,
    manifestHash: flags.manifestHash || `0x${'0'.repeat(64)}`,
  });
  if (!parsed.success) {
    throw new CrucibleError('CONFIG_INVALID', `--dataset: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  const location = parsed.data.location;
  const store = createS3Store(bucketConfigSchema.parse(location), { access: 'read' });
  try {
    const { manifest, hash } = await fetchDatasetManifest(store, flags.name, {
      expectedHash: flags.manifestHash || undefined,
      deadlineMs: options.deadlineMs ?? 30_000,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    return { ref: { ...parsed.data, manifestHash: hash }, manifest };
  } finally {
    store.close();
  }
}
