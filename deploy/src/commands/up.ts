import { resolve } from 'node:path';
import { z } from 'zod';
import { defineCommand, loggingSchema } from '@crucible/core';
import { startLocalSubnet, type LocalSubnet } from '../local/startLocalSubnet.js';

export const upSchema = z.strictObject({
  dir: z.string().default('.crucible/local').describe('folder for the local subnet: chain data, wallets, buckets, state and logs'),
  validators: z.number().int().min(1).max(16).default(2).describe('validators (different stakes: the first is top-staked)'),
  miners: z.number().int().min(0).max(64).default(3).describe('honest miners'),
  chainPort: z.number().int().min(0).max(65535).default(9944).describe('devnet JSON-RPC port (ws:// and http://) on 127.0.0.1; 0 picks a free one'),
  redisPort: z.number().int().min(0).max(65535).default(6390).describe('Redis port on 127.0.0.1; 0 picks a free one'),
  s3Port: z.number().int().min(0).max(65535).default(9100).describe('S3 server port on 127.0.0.1; 0 picks a free one'),
  dashboardPort: z.number().int().min(0).max(65535).default(8080).describe('dashboard port on 127.0.0.1; 0 picks a free one'),
  blockTimeMs: z.number().int().min(100).default(1000).describe('devnet block time'),
  blocksPerWindow: z.number().int().min(2).default(10).describe('blocks per window (written into the genesis run configuration)'),
  preset: z.string().default('tiny').describe('model preset of the genesis run configuration'),
  tempo: z.number().int().min(1).default(20).describe('subnet tempo: blocks between Yuma epochs (emission)'),
  foreground: z.boolean().default(false).describe('stay attached and stop everything on Ctrl-C'),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export function formatSummary(subnet: LocalSubnet, foregroundHint: boolean, dirFlag: string): string {
  const lines = [
    `local subnet ${subnet.netuid} is up in ${subnet.dir}`,
    `  chain:      ${subnet.endpoints.chain}  (polkadot.js apps: ?rpc=${encodeURIComponent(subnet.endpoints.chain)})`,
    `  redis:      ${subnet.endpoints.redis}`,
    `  s3:         ${subnet.endpoints.s3}  (path-style, any credentials; one bucket per neuron)`,
    `  owner:      ${subnet.owner.hotkeyAddress}`,
    ...subnet.validators.map((v) => `  ${v.name.padEnd(11)} ${v.hotkeyAddress}`),
    ...subnet.miners.map((m) => `  ${m.name.padEnd(11)} ${m.hotkeyAddress}`),
    `  wallets:    ${subnet.walletPath}`,
    `  logs:       ${subnet.dir}/logs`,
  ];
  if (subnet.endpoints.dashboard) lines.push(`dashboard: ${subnet.endpoints.dashboard}`);
  lines.push(foregroundHint ? 'press Ctrl-C to stop' : `stop with: crucible-local down --dir ${dirFlag}`);
  return lines.join('\n');
}

export const upCommand = defineCommand({
  summary: 'start a whole subnet on loopback: devnet, Redis, S3, validators, miners and the dashboard',
  details: 'In a folder that already holds a subnet (after `down`) this resumes it; remove the folder to start afresh.',
  schema: upSchema,
  async run(config, { logger, signal, print }) {
    const subnet = await startLocalSubnet({
      dir: resolve(config.dir),
      validators: config.validators,
      miners: config.miners,
      chainPort: config.chainPort,
      redisPort: config.redisPort,
      s3Port: config.s3Port,
      dashboardPort: config.dashboardPort,
      blockTimeMs: config.blockTimeMs,
      blocksPerWindow: config.blocksPerWindow,
      preset: config.preset,
      tempo: config.tempo,
      detached: !config.foreground,
      logger,
    });
    print(formatSummary(subnet, config.foreground, config.dir));
    if (config.foreground) {
      await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
      await subnet.close();
      logger.info('stopped');
    } else {
      // Detached processes live on; this process only drops its own chain connection.
      const client = await subnet.client();
      await client.close();
    }
  },
});
