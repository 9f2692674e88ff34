import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalServices } from '../../deploy/src/index.js';

/**
 * Starts the real services integration tests share, once per test run: Redis and the S3 server on
 * loopback, on free ports. Tests isolate themselves with their own bucket names, key prefixes and
 * queue names, and read the endpoints with `inject('services')`.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    services: {
      redisUrl: string;
      redisPort: number;
      s3Endpoint: string;
      s3Region: string;
      s3AccessKeyId: string;
      s3SecretAccessKey: string;
    };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-test-services-'));
  const services = await startLocalServices({ dir, persistRedis: false });
  project.provide('services', {
    redisUrl: services.redis.url,
    redisPort: services.redis.port,
    s3Endpoint: services.s3.endpoint,
    s3Region: services.s3.region,
    s3AccessKeyId: services.s3.accessKeyId,
    s3SecretAccessKey: services.s3.secretAccessKey,
  });
  return async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
