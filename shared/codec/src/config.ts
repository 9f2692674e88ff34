import { z } from 'zod';

/**
 * SparseLoCo codec parameters. Defaults are Templar's final run (templar-design §3.5): 64×64 tiles,
 * 64 kept values per full tile (1.5625 % density), 2-bit values over a 6σ range, β = 0.95.
 */
export const codecConfigSchema = z
  .object({
    /** Edge of the square tiles that 2-D tensors are cut into; edge tiles may be smaller (ragged). */
    tileSize: z.number().int().min(1).max(256).default(64),
    /** Length of the runs that tensors of any other rank (flattened) are cut into; the last may be shorter. */
    chunkSize: z.number().int().min(1).max(65_536).default(4096),
    /** Values kept per FULL tile (and per full run, scaled by chunkSize / tileSize²); see chunkK. */
    topK: z.number().int().min(1).max(65_536).default(64),
    /** Bits per kept value; the lookup table has 2^bits entries. */
    bits: z.number().int().min(1).max(8).default(2),
    /** Width of the quantiser's range in standard deviations of the kept values (±range/2 σ). */
    range: z.number().finite().positive().max(1000).default(6),
    /** Error-feedback decay: e ← β·e + Δ. Local to the sender; receivers ignore it. */
    beta: z.number().min(0).max(1).default(0.95),
  })
  .strict()
  .refine((c) => c.topK <= c.tileSize * c.tileSize && c.topK <= c.chunkSize, {
    message: 'topK must not exceed a full tile (tileSize²) or a full run (chunkSize)',
    path: ['topK'],
  });

export type CodecConfig = z.infer<typeof codecConfigSchema>;
export type CodecConfigInput = z.input<typeof codecConfigSchema>;

export const defaultCodecConfig: CodecConfig = Object.freeze(codecConfigSchema.parse({}));

/** Validates a partial config, filling Templar's defaults; throws CODEC-free zod errors to callers who wrap them. */
export function parseCodecConfig(input: CodecConfigInput = {}): CodecConfig {
  return codecConfigSchema.parse(input);
}
