import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { decodeBucketPointer, encodeBucketPointer, MAX_COMMITMENT_BYTES, type BucketPointer } from './bucketPointer.js';

describe('bucket pointer encoding v1', () => {
  it('round-trips a public URL with a 3-byte header and a length-prefixed string', () => {
    const pointer: BucketPointer = { kind: 'public', url: 'https://pub-abc.r2.dev/crucible' };
    const bytes = encodeBucketPointer(pointer);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x43, 1, 0, pointer.url.length]);
    expect(decodeBucketPointer(bytes)).toEqual(pointer);
  });

  it('round-trips S3 read credentials for a local S3 server', () => {
    const pointer: BucketPointer = {
      kind: 's3',
      endpoint: 'http://127.0.0.1:4569',
      region: 'us-east-1',
      bucket: 'crucible-miner-3',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    };
    expect(decodeBucketPointer(encodeBucketPointer(pointer))).toEqual(pointer);
  });

  it('packs Cloudflare R2 credentials into binary so they fit the 128-byte commitment', () => {
    const pointer: BucketPointer = {
      kind: 's3',
      endpoint: `https://${'ab'.repeat(16)}.r2.cloudflarestorage.com`,
      region: 'auto',
      bucket: 'a-rather-long-bucket-name-for-gradients',
      accessKeyId: '0123456789abcdef'.repeat(2),
      secretAccessKey: 'fedcba9876543210'.repeat(4),
    };
    const bytes = encodeBucketPointer(pointer);
    expect(bytes[2]).toBe(2);
    expect(bytes.length).toBe(3 + 16 + 1 + pointer.bucket.length + 16 + 32);
    expect(bytes.length).toBeLessThanOrEqual(MAX_COMMITMENT_BYTES);
    expect(decodeBucketPointer(bytes)).toEqual(pointer);
  });

  it('refuses pointers larger than a commitment field', () => {
    const pointer: BucketPointer = { kind: 'public', url: `https://example.com/${'x'.repeat(120)}` };
    expect(() => encodeBucketPointer(pointer)).toThrowError(expect.objectContaining({ code: 'STORAGE_TOO_LARGE' }));
  });

  it('rejects bytes that are not a v1 pointer with WIRE_FORMAT and a hint', () => {
    const good = encodeBucketPointer({ kind: 'public', url: 'http://x' });
    const cases: Array<[Uint8Array, RegExp]> = [
      [Uint8Array.from([0x00, 1, 0]), /magic/],
      [Uint8Array.from([0x43, 2, 0]), /version 2; this build reads version 1/],
      [Uint8Array.from([0x43, 1, 9]), /kind 9/],
      [good.subarray(0, good.length - 1), /truncated/],
      [Uint8Array.from([...good, 0]), /trailing/],
    ];
    for (const [bytes, message] of cases) {
      try {
        decodeBucketPointer(bytes);
        expect.fail('decoding should have failed');
      } catch (error) {
        expect(isCrucibleError(error, 'WIRE_FORMAT')).toBe(true);
        expect((error as Error).message).toMatch(message);
      }
    }
  });
});
