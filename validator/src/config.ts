import { z } from 'zod';
import { chainSchema, loggingSchema, metricsSchema, walletSchema } from '@crucible/core';

/** The validator's whole configuration: every default in one place, printed by `crucible-validator --help`. */
export const validatorConfigSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet to validate'),
  chain: chainSchema.default(chainSchema.parse({})),
  stateDir: z.string().default('~/.crucible/validator').describe('folder for ratings and checkpoints (survives restarts)'),
  redis: z
    .strictObject({ url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// URL').default('redis://127.0.0.1:6390').describe('Redis for the BullMQ evaluation queue') })
    .default({ url: 'redis://127.0.0.1:6390' }),
  workers: z.number().int().min(0).default(1).describe('in-process evaluation workers (0: only external `crucible-validator worker` processes)'),
  weightsEveryWindows: z.number().int().min(1).default(2).describe('set weights every K windows (within the chain rate limit)'),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export type ValidatorConfig = z.output<typeof validatorConfigSchema>;
