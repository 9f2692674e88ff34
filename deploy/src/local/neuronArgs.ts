import { join } from 'node:path';
import type { LocalWallet } from './localWallets.js';

/**
 * The command lines crucible-local gives the miner and validator CLIs: each neuron gets its own wallet,
 * state folder and bucket on the one S3 server (readers and writers alike use the server's any-key
 * credentials), JSON logs, and a metrics port that doubles as its readiness probe.
 */
export interface NeuronContext {
  dir: string;
  walletPath: string;
  netuid: number;
  chainEndpoint: string;
  redisUrl: string;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
}

function common(ctx: NeuronContext, wallet: LocalWallet): string[] {
  return [
    '--wallet.path', ctx.walletPath,
    '--wallet.name', wallet.name,
    '--wallet.hotkey', wallet.hotkeyName,
    '--netuid', String(ctx.netuid),
    '--chain.endpoint', ctx.chainEndpoint,
    '--state-dir', join(ctx.dir, 'state', wallet.name),
    '--logging.format', 'json',
  ];
}

function storage(ctx: NeuronContext, bucket: string): string[] {
  return [
    '--storage.endpoint', ctx.s3.endpoint,
    '--storage.region', ctx.s3.region,
    '--storage.bucket', bucket,
    '--storage.write-access-key-id', ctx.s3.accessKeyId,
    '--storage.write-secret-access-key', ctx.s3.secretAccessKey,
    '--storage.read-access-key-id', ctx.s3.accessKeyId,
    '--storage.read-secret-access-key', ctx.s3.secretAccessKey,
  ];
}

export function minerArgs(ctx: NeuronContext, wallet: LocalWallet, metricsPort: number): string[] {
  return [...common(ctx, wallet), ...storage(ctx, wallet.name), '--metrics.port', String(metricsPort)];
}

export function validatorArgs(ctx: NeuronContext, wallet: LocalWallet, metricsPort: number): string[] {
  return [...common(ctx, wallet), ...storage(ctx, wallet.name), '--redis.url', ctx.redisUrl, '--metrics.port', String(metricsPort)];
}

export interface GenesisRun {
  preset: string;
  blocksPerWindow: number;
}

/** `crucible-validator genesis`: the subnet owner publishes checkpoint 0 with the run configuration. */
export function genesisArgs(ctx: NeuronContext, owner: LocalWallet, run: GenesisRun): string[] {
  return [
    'genesis',
    ...common(ctx, owner),
    ...storage(ctx, owner.name),
    '--run.model', run.preset,
    '--run.blocks-per-window', String(run.blocksPerWindow),
  ];
}
