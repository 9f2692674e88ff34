import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { bucketFlagsSchema, ownBucket } from './bucketFlags.js';

const schema = bucketFlagsSchema({ bucket: 'my-bucket' });
const pair = (id: string) => ({ accessKeyId: id, secretAccessKey: `${id}-secret` });

describe('a neuron\'s own bucket from its storage flags', () => {
  it('publishes the read pair and writes with the write pair', () => {
    const own = ownBucket(schema.parse({ write: pair('writer'), read: pair('reader'), publicEndpoint: 'https://public.example' }));
    expect(own.config.write).toEqual(pair('writer'));
    expect(own.pointer).toMatchObject({ kind: 's3', endpoint: 'https://public.example', bucket: 'my-bucket', accessKeyId: 'reader', secretAccessKey: 'reader-secret' });
  });

  it('refuses missing credentials, naming every missing flag, instead of inventing or reusing them', () => {
    for (const [flags, missing] of [
      [{ read: pair('reader') }, ['--storage.write.access-key-id', '--storage.write.secret-access-key']],
      [{ write: pair('writer') }, ['--storage.read.access-key-id', '--storage.read.secret-access-key']],
      [{ write: pair('writer'), read: { accessKeyId: 'reader', secretAccessKey: '' } }, ['--storage.read.secret-access-key']],
    ] as const) {
      let caught: unknown;
      try {
        ownBucket(schema.parse(flags));
      } catch (error) {
        caught = error;
      }
      expect(isCrucibleError(caught, 'CONFIG_INVALID')).toBe(true);
      expect((caught as { details: { missing: string[] } }).details.missing).toEqual(missing);
    }
  });

  it('refuses a bucket name S3 would refuse, as a configuration error', () => {
    expect(() => ownBucket(schema.parse({ bucket: 'Not_A_Bucket', write: pair('w'), read: pair('r') }))).toThrowError(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
