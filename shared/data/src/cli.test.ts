import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '@crucible/core';
import { bucketConfigSchema, createS3Store, datasetShardKey, type S3Store } from '@crucible/storage';
import { dataCli } from './cli.js';

interface Services {
  s3Endpoint: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
}

let storageFlags: string[] = [];
let store: S3Store;
let dir = '';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(dataCli, { argv, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), onSignal: () => () => {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(async () => {
  const s = inject('services' as never) as Services;
  const bucket = `data-cli-${randomBytes(4).toString('hex')}`;
  storageFlags = ['--storage.endpoint', s.s3Endpoint, '--storage.bucket', bucket, '--storage.write.access-key-id', s.s3AccessKeyId, '--storage.write.secret-access-key', s.s3SecretAccessKey];
  const creds = { accessKeyId: s.s3AccessKeyId, secretAccessKey: s.s3SecretAccessKey };
  store = createS3Store(bucketConfigSchema.parse({ endpoint: s.s3Endpoint, bucket, read: creds, write: creds, forcePathStyle: true }), { access: 'write' });
  dir = await mkdtemp(join(tmpdir(), 'crucible-data-cli-'));
});

afterAll(async () => {
  const all = await store.list('').catch(() => []);
  if (all.length > 0) await store.delete(all.map((o) => o.key));
  store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('crucible-data CLI', () => {
  it('prepare → inspect → sample a GPT-2 dataset from a folder of text', async () => {
    await writeFile(join(dir, 'one.txt'), 'Mr. Speaker, the state of the union is strong. '.repeat(200));
    await writeFile(join(dir, 'two.txt'), 'We hold these truths to be self-evident. '.repeat(200));
    const prepared = await cli('prepare', '--input', dir, '--name', 'speeches', '--tokenizer', 'gpt2', '--page-size', '128', '--shard-pages', '8', '--val-every', '5', '--threads', '2', ...storageFlags);
    expect(prepared.code, prepared.stderr).toBe(0);
    expect(prepared.stdout).toMatch(/^shard 0 uploaded; /m);
    expect(prepared.stdout).toMatch(/^tokenizer gpt2 \(r50k_base/m);
    const ref = JSON.parse(prepared.stdout.trim().split('\n').pop()!) as { dataset: string; manifestHash: string; manifestKey: string };
    expect(ref).toMatchObject({ dataset: 'speeches', manifestKey: 'datasets/speeches/manifest.json', manifestHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });

    const inspected = await cli('inspect', '--name', 'speeches', '--manifest-hash', ref.manifestHash, ...storageFlags);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(/^shard 0 ok$/m);
    expect(inspected.stdout).toMatch(/^all \d+ shards verified$/m);

    const sampled = await cli('sample', '--name', 'speeches', '--page', '0', ...storageFlags);
    expect(sampled.code, sampled.stderr).toBe(0);
    expect(sampled.stdout.startsWith('Mr. Speaker, the state of the union is strong.')).toBe(true);
    const val = await cli('sample', '--name', 'speeches', '--page', '0', '--split', 'val', ...storageFlags);
    expect(val.code, val.stderr).toBe(0);
    expect(val.stdout.length).toBeGreaterThan(100);

    // A damaged shard fails inspection with exit 1, naming it.
    const key = datasetShardKey('speeches', 0);
    const body = (await store.get(key, { maxBytes: 2 ** 24 })).body;
    body[body.length - 1]! ^= 1;
    await store.put(key, body);
    const damaged = await cli('inspect', '--name', 'speeches', ...storageFlags);
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(/^shard 0 FAILED DATA_CORRUPT: /m);
  });

  it('prints every option with its default, and exits 2 on usage errors', async () => {
    const help = await cli('prepare', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--input', '--name', '--tokenizer', '--threads', '--page-size', '--shard-pages', '--val-every', '--overwrite', '--storage.endpoint', '--storage.write.secret-access-key']) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/CRUCIBLE_DATA_PAGE_SIZE/);
    expect((await cli('prepare', ...storageFlags)).code).toBe(2); // --name is required
    expect((await cli('prepare', '--name', 'x', '--tokenizer', 'llama', ...storageFlags)).code).toBe(2);
    expect((await cli('prepare', '--name', 'x')).code).toBe(2); // no write credentials
    expect((await cli('frobnicate')).code).toBe(2);
    const exists = await cli('prepare', '--name', 'speeches', '--input', dir, ...storageFlags);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/already published/);
  });

  it('exits 1 when the dataset cannot be read', async () => {
    const r = await cli('sample', '--name', 'nothing-here', '--deadline-ms', '500', ...storageFlags);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/STORAGE_NOT_FOUND/);
  });
});
