import { join } from 'node:path';
import type { PeerEndpointFlags } from '@crucible/storage';
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
  /** Which peers' endpoints the processes may read (default: every private address, a loopback subnet). */
  peerEndpoints?: PeerEndpointFlags;
}

/** The endpoint-policy flags for a process of this subnet. */
export function peerEndpointArgs(ctx: Pick<NeuronContext, 'peerEndpoints'>): string[] {
  const flags = ctx.peerEndpoints ?? { allowPrivateEndpoints: true, allowAddresses: [] };
  return [
    ...(flags.allowPrivateEndpoints ? ['--storage.allow-private-endpoints'] : ['--storage.allow-private-endpoints', 'false']),
    ...(flags.allowAddresses.length > 0 ? ['--storage.allow-addresses', flags.allowAddresses.join(',')] : []),
  ];
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

/**
 * Miner and validator take the same storage flags (credentials nested: `--storage.write.access-key-id`).
 * Every bucket of a local subnet is on the loopback S3 server, so peers' endpoints on private addresses
 * must be allowed here (the default, for a public subnet, refuses them).
 */
function storageArgs(ctx: NeuronContext, bucket: string): string[] {
  return [
    ...peerEndpointArgs(ctx),
    '--storage.endpoint', ctx.s3.endpoint,
    '--storage.region', ctx.s3.region,
    '--storage.bucket', bucket,
    '--storage.write.access-key-id', ctx.s3.accessKeyId,
    '--storage.write.secret-access-key', ctx.s3.secretAccessKey,
    '--storage.read.access-key-id', ctx.s3.accessKeyId,
    '--storage.read.secret-access-key', ctx.s3.secretAccessKey,
  ];
}

export function minerArgs(ctx: NeuronContext, wallet: LocalWallet, metricsPort: number): string[] {
  // One onnxruntime thread each: a local subnet shares a few cores between all its miners and validators.
  return [...common(ctx, wallet), ...storageArgs(ctx, wallet.name), '--train.threads', '1', '--metrics.port', String(metricsPort)];
}

export function validatorArgs(ctx: NeuronContext, wallet: LocalWallet, metricsPort: number): string[] {
  return [...common(ctx, wallet), ...storageArgs(ctx, wallet.name), '--redis.url', ctx.redisUrl, '--metrics.port', String(metricsPort)];
}

export interface GenesisRun {
  preset: string;
  blocksPerWindow: number;
  /** Block interval: seal keys are revealed within revealBlocks of it, which must outlast the validators' 2 s grace. */
  blockTimeMs: number;
  /** Extra `genesis` flags (e.g. ['--inner-steps', '4']). */
  extra?: string[];
}

/** `crucible-validator genesis`: the subnet owner publishes checkpoint 0 with the run configuration and commits its bucket. */
export function genesisArgs(ctx: NeuronContext, owner: LocalWallet, run: GenesisRun): string[] {
  return [
    'genesis',
    '--wallet.path', ctx.walletPath,
    '--wallet.name', owner.name,
    '--wallet.hotkey', owner.hotkeyName,
    '--netuid', String(ctx.netuid),
    '--chain.endpoint', ctx.chainEndpoint,
    ...storageArgs(ctx, owner.name),
    '--preset', run.preset,
    '--blocks-per-window', String(run.blocksPerWindow),
    // At least 3 s (the validators' 2 s grace), at least 2 blocks, and inside the next window.
    '--reveal-blocks', String(Math.min(run.blocksPerWindow - 1, Math.max(2, Math.ceil(3000 / run.blockTimeMs)))),
    '--logging.format', 'json',
    ...(run.extra ?? []),
  ];
}
