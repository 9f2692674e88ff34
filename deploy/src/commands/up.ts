import { resolve } from 'node:path';
import { z } from 'zod';
import { CrucibleError, defineCommand, loggingSchema } from '@crucible/core';
import { startLocalServices } from '../services/localServices.js';
import { isAlive, readLocalState, writeLocalState } from './localState.js';

export const upSchema = z.strictObject({
  dir: z.string().default('.crucible/local').describe('folder for the local subnet: data, logs and state'),
  redisPort: z.number().int().min(1).max(65535).default(6390).describe('Redis port on 127.0.0.1'),
  s3Port: z.number().int().min(1).max(65535).default(9100).describe('S3 server port on 127.0.0.1'),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name').default('crucible').describe('bucket created at start'),
  foreground: z.boolean().default(false).describe('stay attached and stop everything on Ctrl-C'),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export const upCommand = defineCommand({
  summary: 'start the local subnet on loopback (Redis and the S3 server) and print where each listens',
  schema: upSchema,
  async run(config, { logger, signal, print }) {
    const dir = resolve(config.dir);
    const previous = readLocalState(dir);
    if (previous && previous.processes.some((p) => isAlive(p.pid))) {
      throw new CrucibleError('USAGE', `a local subnet is already up in ${dir}; run 'crucible-local down --dir ${config.dir}' first`);
    }
    logger.info('starting local services', { dir });
    const services = await startLocalServices({
      dir,
      redisPort: config.redisPort,
      s3Port: config.s3Port,
      buckets: [config.bucket],
      persistRedis: true,
      detached: !config.foreground,
    });
    const endpoints = { redis: services.redis.url, s3: services.s3.endpoint, bucket: config.bucket };
    writeLocalState(dir, {
      version: 1,
      startedAt: new Date().toISOString(),
      dir,
      processes: [services.redis.process, services.s3.process].map((p) => ({ name: p.name, pid: p.pid, logFile: p.logFile })),
      endpoints,
    });
    print(
      [
        'local subnet is up',
        `  redis:  ${services.redis.url}`,
        `  s3:     ${services.s3.endpoint}  (bucket ${config.bucket}, path-style, any credentials)`,
        `  logs:   ${dir}/logs`,
        config.foreground ? '  press Ctrl-C to stop' : `  stop with: crucible-local down --dir ${config.dir}`,
      ].join('\n'),
    );
    if (config.foreground) {
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      await services.close();
      logger.info('stopped');
    }
  },
});
