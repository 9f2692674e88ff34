import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

/**
 * What a local subnet was created with, kept across `down` so the next `up` in the same folder resumes it
 * (same chain data, netuid, wallets, ports) instead of creating a second subnet.
 */
const walletSchema = z.object({ name: z.string(), hotkeyName: z.string(), coldkeyAddress: z.string(), hotkeyAddress: z.string() });

export const subnetRecordSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  netuid: z.number().int(),
  chainPort: z.number().int(),
  redisPort: z.number().int(),
  s3Port: z.number().int(),
  dashboardPort: z.number().int(),
  blockTimeMs: z.number().int(),
  blocksPerWindow: z.number().int(),
  preset: z.string(),
  /** The run's text; with `dataset`, the published dataset's name and manifest hash once prepared. Absent in older records: the shipped corpus. */
  data: z.object({ text: z.string(), dataset: z.boolean(), name: z.string().optional(), manifestHash: z.string().optional() }).optional(),
  owner: walletSchema,
  validators: z.array(walletSchema),
  miners: z.array(walletSchema),
  genesisDone: z.boolean(),
});

export type SubnetRecord = z.output<typeof subnetRecordSchema>;

export function subnetRecordFile(dir: string): string {
  return join(dir, 'subnet.json');
}

export function readSubnetRecord(dir: string): SubnetRecord | undefined {
  const file = subnetRecordFile(dir);
  if (!existsSync(file)) return undefined;
  const parsed = subnetRecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new CrucibleError('CONFIG_INVALID', `${file} was not written by this version; remove the folder to start afresh`, { details: { file } });
  return parsed.data;
}

export function writeSubnetRecord(dir: string, record: SubnetRecord): void {
  mkdirSync(dirname(subnetRecordFile(dir)), { recursive: true });
  writeFileSync(subnetRecordFile(dir), JSON.stringify(record, null, 2) + '\n');
}
