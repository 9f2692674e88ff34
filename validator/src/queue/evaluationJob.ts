import { z } from 'zod';
import { runConfigSchema } from '@crucible/protocol';
import { peerEndpointFlagsSchema, s3PointerSchema } from '@crucible/storage';

/**
 * What one evaluation job carries: everything a worker on any machine needs to compute a miner's four
 * losses: the miner's update as the coordinator pinned it (the very bytes it screened, with their hash:
 * a worker never fetches a miner's object again, so nobody can serve it other bytes), the base
 * checkpoint's bucket, and the window's seeds. Validated with this schema where it enters a worker; the
 * result is validated where it comes back.
 */
const paramsHash = z.string().regex(/^0x[0-9a-f]{64}$/, 'expected 0x and 32 bytes of lowercase hex');
const hex32 = z.custom<`0x${string}`>((v) => typeof v === 'string' && /^0x[0-9a-f]{64}$/.test(v), 'expected 0x and 32 bytes of lowercase hex');

export const evaluationJobSchema = z.strictObject({
  window: z.number().int().min(0),
  hotkey: z.string().min(1),
  uid: z.number().int().min(0),
  /** The signed update (base64) and its blake2b-256, which the worker checks before anything else. */
  update: z.strictObject({ contentHash: hex32, bytes: z.string().min(1).max(512 * 1024 * 1024) }),
  base: z.strictObject({ pointer: s3PointerSchema, window: z.number().int().min(0), paramsHash }),
  run: runConfigSchema,
  windowSeed: hex32,
  evaluationSeed: hex32,
  /** The window's reference norm (median of its screened updates): the scale rule of protocol clip.ts. */
  reference: z.number().positive().nullable(),
  /** ms since epoch after which the result is useless (the window's evaluation deadline). */
  deadline: z.number(),
  /** The validator's endpoint policy: a worker reads the base checkpoint's bucket under the same rules. */
  peerEndpoints: peerEndpointFlagsSchema,
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
