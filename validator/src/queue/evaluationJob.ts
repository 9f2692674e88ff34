import { z } from 'zod';
import { runConfigSchema } from '@crucible/protocol';

/**
 * What one evaluation job carries: everything a worker on any machine needs to compute a miner's four
 * losses from public objects (the miner's bucket, the base checkpoint's bucket) and the window's seeds.
 * Validated with this schema where it enters a worker; the result is validated where it comes back.
 */
const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);

export const readPointerSchema = z.strictObject({
  endpoint: z.string().url(),
  region: z.string().min(1),
  bucket: z.string().min(3),
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
});
export type ReadPointer = z.output<typeof readPointerSchema>;

export const evaluationJobSchema = z.strictObject({
  window: z.number().int().min(0),
  hotkey: z.string().min(1),
  uid: z.number().int().min(0),
  gradient: z.strictObject({ pointer: readPointerSchema, key: z.string().min(1), maxBytes: z.number().int().positive() }),
  base: z.strictObject({ pointer: readPointerSchema, window: z.number().int().min(0), paramsHash: hex32 }),
  run: runConfigSchema,
  windowSeed: hex32,
  evaluationSeed: hex32,
  /** Median norm of the window's valid updates; an update above it is scaled down to it. */
  clipNorm: z.number().positive().nullable(),
  /** ms since epoch after which the result is useless (the window's evaluation deadline). */
  deadline: z.number(),
  onnxThreads: z.number().int().min(1),
});
export type EvaluationJob = z.output<typeof evaluationJobSchema>;

export const lossesSchema = z.strictObject({ ownBefore: z.number(), ownAfter: z.number(), randomBefore: z.number(), randomAfter: z.number() });

export const evaluationResultSchema = z.strictObject({
  losses: lossesSchema,
  norm: z.number(),
  scale: z.number(),
  ownPages: z.array(z.number().int()),
  randomPages: z.array(z.number().int()),
});
export type EvaluationResult = z.output<typeof evaluationResultSchema>;
