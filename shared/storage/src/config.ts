import { z } from 'zod';

const credentialsSchema = z
  .object({
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
  })
  .strict();

/**
 * Where one neuron's objects live. Others read with the `read` credentials it publishes on chain;
 * only the owner holds `write`. `forcePathStyle` is needed for local servers and MinIO, and harmless on
 * R2 (Templar's choice: region "auto"/"enam", bucket named after the account).
 */
export const bucketConfigSchema = z
  .object({
    endpoint: z.url(),
    region: z.string().min(1).default('auto'),
    bucket: z
      .string()
      .min(3)
      .max(63)
      .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, 'S3 bucket names are lowercase letters, digits, dots and hyphens'),
    read: credentialsSchema,
    write: credentialsSchema.optional(),
    forcePathStyle: z.boolean().default(false),
  })
  .strict();

export type BucketConfig = z.infer<typeof bucketConfigSchema>;
export type BucketConfigInput = z.input<typeof bucketConfigSchema>;
export type StorageCredentials = z.infer<typeof credentialsSchema>;

/**
 * One credentials pair as process flags (`--storage.write.access-key-id` ...), the same for every neuron.
 * Empty by default: each process decides what a missing pair means. The secret is redacted in
 * `--print-config` and `--help`.
 */
export function credentialFlagsSchema(who: string) {
  return z
    .strictObject({
      accessKeyId: z.string().default('').describe(`${who}: access key id`),
      secretAccessKey: z.string().default('').meta({ secret: true }).describe(`${who}: secret access key`),
    })
    .default({ accessKeyId: '', secretAccessKey: '' });
}
