import { z } from 'zod';
import { CrucibleError } from '@crucible/core';
import type { BucketPointer } from './bucketPointer.js';
import { parseAllowEntry } from './endpointPolicy.js';
import { bucketConfigSchema, credentialFlagsSchema, type BucketConfig } from './config.js';

/**
 * Which peers' endpoints a process may read (the endpoint policy): the same two flags for miners,
 * validators, workers and the dashboard. Default: https on public addresses only.
 */
export const peerEndpointFlags = {
  allowPrivateEndpoints: z
    .boolean()
    .default(false)
    .describe("read peers' buckets on loopback, private and link-local addresses and over plain http (a local subnet; never on a public one)"),
  allowAddresses: z
    .array(z.string().refine((a) => parseAllowEntry(a) !== undefined, 'expected an address, a prefix (10.0.0.0/8) or address:port ([::1]:9100)'))
    .default([])
    .describe("addresses (optionally with a port) peers' endpoints may use whatever their class, e.g. 127.0.0.1:9100 (also allows http)"),
};

export const peerEndpointFlagsSchema = z.strictObject(peerEndpointFlags);
export type PeerEndpointFlags = z.output<typeof peerEndpointFlagsSchema>;

/**
 * The storage flags of every neuron that owns a bucket (miner, validator, the subnet owner's genesis):
 * `--storage.endpoint`, `--storage.bucket`, `--storage.write.access-key-id`, ... One schema, so a flag
 * means the same thing in every process; only the default bucket name differs.
 */
export function bucketFlagsSchema(defaults: { bucket: string }) {
  const schema = z.strictObject({
    endpoint: z.string().url().default('http://127.0.0.1:9100').describe('S3-compatible endpoint of this neuron\'s bucket (R2: https://<account>.r2.cloudflarestorage.com)'),
    publicEndpoint: z.string().default('').describe('endpoint published on chain for readers (empty: the same as endpoint)'),
    region: z.string().min(1).default('auto').describe('S3 region (R2: auto; the local S3 server accepts any)'),
    bucket: z.string().min(3).max(63).default(defaults.bucket).describe('bucket holding this neuron\'s objects'),
    forcePathStyle: z.boolean().default(true).describe('path-style URLs (local servers, MinIO; harmless on R2)'),
    createBucket: z.boolean().default(true).describe('create the bucket at start-up when it does not exist'),
    ...peerEndpointFlags,
    write: credentialFlagsSchema('write credentials, kept on this machine'),
    read: credentialFlagsSchema('read-only credentials, published on chain for everyone'),
  });
  return schema.default(schema.parse({}));
}

export type BucketFlags = z.output<ReturnType<typeof bucketFlagsSchema>>;

export interface OwnBucket {
  /** What this neuron writes with. */
  config: BucketConfig;
  /** What it publishes on chain: the read credentials, never the write pair. */
  pointer: Extract<BucketPointer, { kind: 's3' }>;
  createBucket: boolean;
}

/**
 * The one credential rule: both pairs must be given. Write credentials stay on this machine; read
 * credentials are published on chain, so a missing read pair is never filled in with the write pair
 * (that would publish the secret) nor with made-up defaults (that fails later, far from the cause).
 * To use one pair for both on a private test server, pass it twice.
 */
export function ownBucket(flags: BucketFlags): OwnBucket {
  const missing: string[] = [];
  for (const pair of ['write', 'read'] as const) {
    if (!flags[pair].accessKeyId) missing.push(`--storage.${pair}.access-key-id`);
    if (!flags[pair].secretAccessKey) missing.push(`--storage.${pair}.secret-access-key`);
  }
  if (missing.length > 0) {
    throw new CrucibleError('CONFIG_INVALID', `storage credentials are required: ${missing.join(', ')} (write: kept local; read: published on chain for readers)`, {
      details: { missing },
    });
  }
  const parsed = bucketConfigSchema.safeParse({
    endpoint: flags.endpoint,
    region: flags.region,
    bucket: flags.bucket,
    read: flags.read,
    write: flags.write,
    forcePathStyle: flags.forcePathStyle,
  });
  if (!parsed.success) {
    throw new CrucibleError('CONFIG_INVALID', `storage: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  const config = parsed.data;
  return {
    config,
    pointer: {
      kind: 's3',
      endpoint: flags.publicEndpoint || flags.endpoint,
      region: config.region,
      bucket: config.bucket,
      accessKeyId: config.read.accessKeyId,
      secretAccessKey: config.read.secretAccessKey,
    },
    createBucket: flags.createBucket,
  };
}
