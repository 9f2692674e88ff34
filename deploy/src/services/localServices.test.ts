import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { startLocalServices } from './localServices.js';
import { pingRedis } from './redis.js';

function s3Client(endpoint: string) {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function isUp(url: string): Promise<boolean> {
  return fetch(url).then((r) => r.ok, () => false);
}

describe('local services launcher', () => {
  it('starts real Redis and S3 processes, serves S3 objects and BullMQ jobs, and stops both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-services-'));
    const services = await startLocalServices({ dir, buckets: ['crucible'] });
    try {
      const s3 = s3Client(services.s3.endpoint);
      const body = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
      await s3.send(new PutObjectCommand({ Bucket: 'crucible', Key: 'gradients/1/abc.bin', Body: body }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'crucible', Key: 'gradients/1/abc.bin' }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.from(body))).toBe(true);
      await s3.send(new CreateBucketCommand({ Bucket: 'second' }));
      s3.destroy();

      const connection = { host: '127.0.0.1', port: services.redis.port, maxRetriesPerRequest: null };
      const queue = new Queue('launcher-test', { connection });
      const events = new QueueEvents('launcher-test', { connection });
      const worker = new Worker('launcher-test', async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), { connection });
      await events.waitUntilReady();
      const job = await queue.add('double', { n: 21 });
      expect(await job.waitUntilFinished(events, 10_000)).toEqual({ doubled: 42 });
      await worker.close();
      await events.close();
      await queue.close();
    } finally {
      await services.close();
    }
    expect(services.redis.process.exitReason()).toBeDefined();
    expect(services.s3.process.exitReason()).toBeDefined();
    expect(await pingRedis(services.redis.port)).toBe(false);
    expect(await isUp(services.s3.endpoint)).toBe(false);
    // close() is idempotent.
    await services.close();
  });

  it('keeps Redis data across a restart when persistence is on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-services-'));
    const first = await startLocalServices({ dir, persistRedis: true });
    const port = first.redis.port;
    const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
    const queue = new Queue('persist-test', { connection });
    await queue.add('kept', { n: 1 }, { jobId: 'stable-id' });
    await queue.close();
    await first.close();
    const second = await startLocalServices({ dir, persistRedis: true, redisPort: port });
    try {
      const again = new Queue('persist-test', { connection });
      expect((await again.getJob('stable-id'))?.data).toEqual({ n: 1 });
      await again.close();
    } finally {
      await second.close();
    }
  });
});
