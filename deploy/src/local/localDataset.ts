import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';
import type { LocalWallet } from './localWallets.js';
import type { NeuronContext } from './neuronArgs.js';
import { packageBin } from './packageBin.js';
import { childEnv, runToCompletion } from './startNeuron.js';

/** The dataset a local subnet trains on: what `crucible-data prepare` printed, and how it was made. */
export interface LocalDataset {
  /** Text it was prepared from: `sotu` (the shipped corpus) or a path. */
  text: string;
  tokenizer: 'bytes' | 'gpt2';
  name: string;
  manifestHash: `0x${string}`;
}

const preparedLine = z.object({ dataset: z.string(), bucket: z.string(), manifestKey: z.string(), manifestHash: z.string().regex(/^0x[0-9a-f]{64}$/) });

/**
 * `crucible-data prepare` for a local subnet: the text tokenized into shards of 256 pages (a few
 * shards even for the shipped corpus, so readers cross shard boundaries as on a real dataset), published
 * in the owner's bucket. Replaces a copy left by an earlier attempt (preparing is deterministic: the
 * same text gives the same manifest hash), since nothing pins it before genesis.
 */
export function prepareArgs(ctx: NeuronContext, owner: LocalWallet, o: { text: string; tokenizer: string; name: string }): string[] {
  return [
    'prepare',
    '--input', o.text,
    '--name', o.name,
    '--tokenizer', o.tokenizer,
    '--shard-pages', '256',
    '--overwrite',
    '--storage.endpoint', ctx.s3.endpoint,
    '--storage.region', ctx.s3.region,
    '--storage.bucket', owner.name,
    '--storage.write.access-key-id', ctx.s3.accessKeyId,
    '--storage.write.secret-access-key', ctx.s3.secretAccessKey,
    '--logging.format', 'json',
  ];
}

/** The `genesis` flags that pin the dataset: its bucket (the owner's), the read key everyone uses, name and hash. */
export function datasetGenesisArgs(ctx: NeuronContext, owner: LocalWallet, dataset: LocalDataset): string[] {
  return [
    '--dataset.name', dataset.name,
    '--dataset.manifest-hash', dataset.manifestHash,
    '--dataset.endpoint', ctx.s3.endpoint,
    '--dataset.region', ctx.s3.region,
    '--dataset.bucket', owner.name,
    '--dataset.read.access-key-id', ctx.s3.accessKeyId,
    '--dataset.read.secret-access-key', ctx.s3.secretAccessKey,
  ];
}

/**
 * Prepares and publishes the local subnet's dataset with `crucible-data prepare`, as a subnet owner
 * would, and returns what it printed (its last line, JSON). Its log is `<dir>/logs/dataset.log`.
 */
export async function publishLocalDataset(ctx: NeuronContext, owner: LocalWallet, o: { text: string; tokenizer: 'bytes' | 'gpt2' }): Promise<LocalDataset> {
  const name = `local-${o.tokenizer}`;
  const logFile = join(ctx.dir, 'logs', 'dataset.log');
  await runToCompletion(
    { name: 'dataset', command: process.execPath, args: [packageBin('@crucible/data', 'crucible-data'), ...prepareArgs(ctx, owner, { ...o, name })], logFile },
    { env: childEnv(), timeoutMs: 30 * 60_000 },
  );
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  for (const line of lines.reverse()) {
    if (!line.startsWith('{"dataset"')) continue;
    const parsed = preparedLine.safeParse(JSON.parse(line));
    if (parsed.success && parsed.data.dataset === name) return { ...o, name, manifestHash: parsed.data.manifestHash as `0x${string}` };
  }
  throw new CrucibleError('SERVICE_START_FAILED', `crucible-data prepare printed no dataset line; see ${logFile}`, { details: { logFile } });
}
