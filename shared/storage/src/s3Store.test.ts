import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bucketConfigSchema } from './config.js';
import type { BucketConfig } from './config.js';
import { contentHash } from './contentHash.js';
import { gradientKey, gradientsWindowPrefix } from './keys.js';
import { CONTENT_HASH_METADATA } from './objectStore.js';
import { endpointPolicyFromFlags } from './endpointPolicy.js';
import { PeerStores } from './peerStores.js';
import { deleteWindowsOlderThan } from './retention.js';
import { createS3Store } from './s3Store.js';
import type { S3Store } from './s3Store.js';

// Against the real local S3 server the test run starts once (test/setup/services.global.ts); this
// file isolates itself in a bucket of its own.
interface Services {
  s3Endpoint: string;
  s3Region: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
}

let config: BucketConfig;
let store: S3Store;

beforeAll(async () => {
  const services = inject('services' as never) as Services;
  const credentials = { accessKeyId: services.s3AccessKeyId, secretAccessKey: services.s3SecretAccessKey };
  config = bucketConfigSchema.parse({
    endpoint: services.s3Endpoint,
    region: services.s3Region,
    bucket: `storage-test-${randomBytes(4).toString('hex')}`,
    read: credentials,
    write: credentials,
    forcePathStyle: true,
  });
  store = createS3Store(config, { access: 'write', listPageSize: 2 });
  await store.ensureBucket();
  await store.ensureBucket(); // idempotent
});

afterAll(async () => {
  const all = await store.list('');
  await store.delete(all.map((o) => o.key));
  store.close();
});

describe('S3 store against the local S3 server', () => {
  it('puts and gets bytes intact, with the content hash and metadata', async () => {
    const body = new Uint8Array(randomBytes(300_000));
    const key = gradientKey(5, 'hotkeyA');
    const put = await store.put(key, body, { metadata: { window: '5' } });
    expect(put).toEqual({ key, size: body.length, contentHash: contentHash(body) });
    const got = await store.get(key, { maxBytes: 1_000_000 });
    expect(Buffer.from(got.body).equals(Buffer.from(body))).toBe(true);
    expect(got.metadata).toMatchObject({ window: '5', [CONTENT_HASH_METADATA]: put.contentHash });
    expect(await store.head(key)).toMatchObject({ key, size: body.length, metadata: { [CONTENT_HASH_METADATA]: put.contentHash } });
  });

  it('refuses objects over the size cap and reports missing ones', async () => {
    const key = gradientKey(6, 'hotkeyB');
    await store.put(key, new Uint8Array(5000));
    await expect(store.get(key, { maxBytes: 4999 })).rejects.toMatchObject({ code: 'STORAGE_TOO_LARGE', details: { key } });
    await expect(store.get(gradientKey(6, 'nobody'), { maxBytes: 10 })).rejects.toMatchObject({
      code: 'STORAGE_NOT_FOUND',
      details: { status: 404 },
    });
    expect(await store.head(gradientKey(6, 'nobody'))).toBeUndefined();
  });

  it('reads exact byte ranges: inside, short at the end, past the end, missing, and timed out', async () => {
    const body = new Uint8Array(randomBytes(1_000_000));
    const key = gradientKey(8, 'ranged');
    await store.put(key, body);
    const part = await store.getRange(key, { offset: 123_456, length: 65_536 });
    expect(Buffer.from(part).equals(Buffer.from(body.subarray(123_456, 123_456 + 65_536)))).toBe(true);
    expect([...(await store.getRange(key, { offset: 999_999, length: 1 }))]).toEqual([body[999_999]]);
    await expect(store.getRange(key, { offset: 999_990, length: 20 })).rejects.toMatchObject({ code: 'STORAGE', details: { received: 10 } });
    await expect(store.getRange(key, { offset: 1_000_000, length: 1 })).rejects.toMatchObject({ code: 'STORAGE', details: { status: 416 } });
    await expect(store.getRange(gradientKey(8, 'nobody'), { offset: 0, length: 1 })).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
    await expect(store.getRange(key, { offset: 0, length: 900_000, timeoutMs: 0 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('times out a download that takes longer than allowed', async () => {
    const key = gradientKey(6, 'hotkeyC');
    await store.put(key, new Uint8Array(2_000_000));
    await expect(store.get(key, { maxBytes: 3_000_000, timeoutMs: 0 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it("lists all of a window's objects across pages", async () => {
    const hotkeys = ['h1', 'h2', 'h3', 'h4', 'h5'];
    for (const h of hotkeys) await store.put(gradientKey(7, h), Uint8Array.of(1));
    await store.put(gradientKey(70, 'h1'), Uint8Array.of(1));
    const listed = await store.list(gradientsWindowPrefix(7));
    expect(listed.map((o) => o.key)).toEqual(hotkeys.map((h) => gradientKey(7, h)));
    expect(listed.every((o) => o.size === 1)).toBe(true);
  });

  it('ends a listing that would pass its page or key limit with STORAGE_TOO_LARGE instead of following it', async () => {
    // Window 7 holds five objects: three pages of two.
    await expect(store.list(gradientsWindowPrefix(7), { maxPages: 2 })).rejects.toMatchObject({ code: 'STORAGE_TOO_LARGE', details: { op: 'list', limit: 'pages', max: 2 } });
    await expect(store.list(gradientsWindowPrefix(7), { maxKeys: 4 })).rejects.toMatchObject({ code: 'STORAGE_TOO_LARGE', details: { op: 'list', limit: 'keys', max: 4 } });
    expect(await store.list(gradientsWindowPrefix(7), { maxPages: 3, maxKeys: 5 })).toHaveLength(5);
  });

  it("reads a peer's bucket on loopback only when private endpoints are allowed (a local subnet)", async () => {
    await store.put(gradientKey(201, 'peer'), Uint8Array.of(4, 2));
    const pointer = { kind: 's3' as const, endpoint: config.endpoint, region: config.region, bucket: config.bucket, accessKeyId: config.read.accessKeyId, secretAccessKey: config.read.secretAccessKey };
    const strict = new PeerStores();
    await expect(strict.get(pointer)!.get(gradientKey(201, 'peer'), { maxBytes: 10 })).rejects.toMatchObject({ code: 'STORAGE_FORBIDDEN' });
    strict.close();
    const local = new PeerStores({ policy: endpointPolicyFromFlags({ allowPrivateEndpoints: true }) });
    expect([...(await local.get(pointer)!.get(gradientKey(201, 'peer'), { maxBytes: 10 })).body]).toEqual([4, 2]);
    expect((await local.get(pointer)!.list(gradientsWindowPrefix(201))).map((o) => o.key)).toEqual([gradientKey(201, 'peer')]);
    local.close();
  });

  it('deletes windows older than the kept ones', async () => {
    for (const w of [100, 101, 102, 103]) await store.put(gradientKey(w, 'hk'), Uint8Array.of(w & 255));
    const deleted = await deleteWindowsOlderThan(store, 103, 2);
    expect(deleted).toEqual(expect.arrayContaining([gradientKey(100, 'hk')]));
    expect(deleted).not.toContain(gradientKey(101, 'hk'));
    expect(await store.head(gradientKey(100, 'hk'))).toBeUndefined();
    expect(await store.head(gradientKey(101, 'hk'))).toBeDefined();
  });

  it('reads a peer bucket with its read credentials only, and needs write credentials to write', async () => {
    await store.put(gradientKey(200, 'owner'), Uint8Array.of(9));
    const reader = createS3Store({ ...config, write: undefined }, { access: 'read' });
    expect((await reader.list(gradientsWindowPrefix(200))).map((o) => o.key)).toEqual([gradientKey(200, 'owner')]);
    expect([...(await reader.get(gradientKey(200, 'owner'), { maxBytes: 1 })).body]).toEqual([9]);
    reader.close();
    expect(() => createS3Store({ ...config, write: undefined }, { access: 'write' })).toThrow(expect.objectContaining({ code: 'STORAGE' }));
  });

  it('refuses wrong credentials with STORAGE and the S3 status, without retrying', async () => {
    const wrong = { accessKeyId: 'nobody', secretAccessKey: 'wrong' };
    const intruder = createS3Store({ ...config, read: wrong, write: wrong }, { access: 'write' });
    await expect(intruder.put(gradientKey(300, 'x'), Uint8Array.of(1))).rejects.toMatchObject({
      code: 'STORAGE',
      details: { status: 403, attempts: 1 },
    });
    intruder.close();
  });

  it('maps an unreachable endpoint to a STORAGE error after retrying within the deadline', async () => {
    const dead = createS3Store({ ...config, endpoint: 'http://127.0.0.1:9' }, { access: 'write', deadlineMs: 1500 });
    await expect(dead.put('x', Uint8Array.of(1))).rejects.toMatchObject({ code: expect.stringMatching(/^(STORAGE|TIMEOUT)$/) });
    dead.close();
  });
});
