import { mkdirSync } from 'node:fs';
import { startRedis, type RedisServer } from './redis.js';
import { startS3Server, type S3Server } from './s3.js';

/**
 * Redis and the S3 server on loopback, started together and stopped together. The chain and neurons
 * join them in `startLocalSubnet`.
 */
export interface LocalServices {
  readonly dir: string;
  readonly redis: RedisServer;
  readonly s3: S3Server;
  close(): Promise<void>;
}

export interface LocalServicesOptions {
  dir: string;
  redisPort?: number;
  s3Port?: number;
  buckets?: string[];
  persistRedis?: boolean;
  detached?: boolean;
}

export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  mkdirSync(options.dir, { recursive: true });
  const redis = await startRedis({
    dir: options.dir,
    ...(options.redisPort !== undefined ? { port: options.redisPort } : {}),
    persist: options.persistRedis ?? true,
    detached: options.detached ?? false,
  });
  let s3: S3Server;
  try {
    s3 = await startS3Server({
      dir: options.dir,
      ...(options.s3Port !== undefined ? { port: options.s3Port } : {}),
      buckets: options.buckets ?? [],
      detached: options.detached ?? false,
    });
  } catch (error) {
    await redis.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    dir: options.dir,
    redis,
    s3,
    close: () => (closing ??= Promise.all([redis.close(), s3.close()]).then(() => undefined)),
  };
}
