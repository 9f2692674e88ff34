import { resolve } from 'node:path';
import { z } from 'zod';
import { defineCommand, loggingSchema } from '@crucible/core';
import { startLocalSubnet, type LocalSubnet } from '../local/startLocalSubnet.js';
import { readSubnetRecord } from '../local/subnetRecord.js';

export const upSchema = z.strictObject({
  dir: z.string().default('.crucible/local').describe('folder for the local subnet: chain data, wallets, buckets, state and logs'),
  validators: z.number().int().min(1).max(16).optional().describe('validators, with different stakes: the first is top-staked (new subnet: 2)'),
  miners: z.number().int().min(0).max(64).optional().describe('honest miners (new subnet: 3)'),
  chainPort: z.number().int().min(0).max(65535).optional().describe('devnet JSON-RPC port (ws:// and http://) on 127.0.0.1 (new subnet: 9944; resumed: its own; 0: any free one)'),
  redisPort: z.number().int().min(0).max(65535).optional().describe('Redis port on 127.0.0.1 (new subnet: 6390; resumed: its own; 0: any free one)'),
  s3Port: z.number().int().min(0).max(65535).optional().describe('S3 server port on 127.0.0.1 (new subnet: 9100; resumed: its own; 0: any free one)'),
  dashboardPort: z.number().int().min(0).max(65535).optional().describe('dashboard port on 127.0.0.1 (new subnet: 8080; resumed: its own; 0: any free one)'),
  blockTimeMs: z.number().int().min(100).optional().describe('devnet block time in ms (new subnet: 1000; resumed: as before)'),
  blocksPerWindow: z.number().int().min(2).optional().describe('blocks per window, written into the genesis run configuration (new subnet: 10)'),
  preset: z.enum(['tiny', 'small', 'base', 'tiny-gpt2', 'small-gpt2']).optional().describe('model preset of the genesis run configuration; its tokenizer (bytes, or GPT-2 for -gpt2) prepares the dataset (new subnet: tiny)'),
  data: z.string().optional().describe('text the subnet trains on: `sotu` (the shipped corpus) or a UTF-8 file or folder (new subnet: sotu)'),
  dataset: z.boolean().optional().describe('publish the text as a tokenized, sharded dataset in the owner\'s bucket and pin it in genesis, as a real subnet does; false: every party loads the text whole (new subnet: true)'),
  tempo: z.number().int().min(1).optional().describe('subnet tempo: blocks between Yuma epochs (new subnet: 20)'),
  foreground: z.boolean().default(false).describe('stay attached and stop everything on Ctrl-C'),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

/** `sotu` stays a name; anything else is a path, made absolute (the neurons run in other folders). */
function resolveText(data: string): string {
  return data === 'sotu' ? data : resolve(data);
}

export function formatSummary(subnet: LocalSubnet, foregroundHint: boolean, dirFlag: string): string {
  const lines = [
    `local subnet ${subnet.netuid} is up in ${subnet.dir}`,
    `  chain:      ${subnet.endpoints.chain}  (polkadot.js apps: ?rpc=${encodeURIComponent(subnet.endpoints.chain)})`,
    `  redis:      ${subnet.endpoints.redis}`,
    `  s3:         ${subnet.endpoints.s3}  (path-style, any credentials; one bucket per neuron)`,
    `  owner:      ${subnet.owner.hotkeyAddress}`,
    ...subnet.validators.map((v) => `  ${v.name.padEnd(11)} ${v.hotkeyAddress}`),
    ...subnet.miners.map((m) => `  ${m.name.padEnd(11)} ${m.hotkeyAddress}`),
    ...(subnet.dataset ? [`  dataset:    ${subnet.dataset.name} ${subnet.dataset.manifestHash} (from ${subnet.dataset.text}; bucket ${subnet.owner.name})`] : []),
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
    const dir = resolve(config.dir);
    // A resumed subnet keeps the ports it was created with unless new ones are given.
    const fresh = readSubnetRecord(dir) === undefined;
    const port = (given: number | undefined, fallback: number) => given ?? (fresh ? fallback : undefined);
    const subnet = await startLocalSubnet({
      dir,
      ...(config.validators !== undefined ? { validators: config.validators } : {}),
      ...(config.miners !== undefined ? { miners: config.miners } : {}),
      chainPort: port(config.chainPort, 9944),
      redisPort: port(config.redisPort, 6390),
      s3Port: port(config.s3Port, 9100),
      dashboardPort: port(config.dashboardPort, 8080),
      ...(config.blockTimeMs !== undefined ? { blockTimeMs: config.blockTimeMs } : {}),
      ...(config.blocksPerWindow !== undefined ? { blocksPerWindow: config.blocksPerWindow } : {}),
      ...(config.preset !== undefined ? { preset: config.preset } : {}),
      ...(config.data !== undefined ? { data: resolveText(config.data) } : {}),
      dataset: config.dataset ?? true,
      ...(config.tempo !== undefined ? { tempo: config.tempo } : {}),
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
