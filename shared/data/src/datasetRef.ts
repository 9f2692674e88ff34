import { z } from 'zod';
import { bucketConfigSchema } from '@crucible/storage';

/**
 * How a run configuration names a dataset: where it is (an S3-compatible bucket and the read-only
 * credentials everyone may use — they are published in the signed genesis), its name in that bucket
 * (`datasets/<name>/…`) and the hash of its manifest, which pins every shard and page.
 */
export const datasetRefSchema = z.strictObject({
  location: bucketConfigSchema.omit({ write: true }),
  name: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-"').refine((n) => n !== '.' && n !== '..', 'not "." or ".."'),
  manifestHash: z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x-prefixed lowercase blake2b-256 hex digest'),
});

export type DatasetRef = z.output<typeof datasetRefSchema>;
export type DatasetRefInput = z.input<typeof datasetRefSchema>;
