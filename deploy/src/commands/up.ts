import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CrucibleError, defineCommand, loggingSchema } from '@crucible/core';
import { packageBin } from '../local/packageBin.js';
import { childEnv } from '../local/startNeuron.js';
import { startLocalSubnet, type LocalSubnet } from '../local/startLocalSubnet.js';
import { readSubnetRecord } from '../local/subnetRecord.js';
import { spawnService } from '../services/childProcess.js';
import { waitUntil } from '../services/waitUntil.js';
import { isAlive, readLocalState } from './localState.js';

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
  workers: z.number().int().min(0).max(8).default(0).describe('evaluation worker processes per validator besides its in-process ones (`crucible-validator worker`)'),
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

/** The startLocalSubnet options `up` and `supervise` derive from their flags (a resumed subnet keeps its ports). */
export function localSubnetOptions(config: z.output<typeof upSchema>) {
  const dir = resolve(config.dir);
  const fresh = readSubnetRecord(dir) === undefined;
  const port = (given: number | undefined, fallback: number) => given ?? (fresh ? fallback : undefined);
  return {
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
    validatorWorkers: config.workers,
  };
}

/** The flags that make `crucible-local supervise` start the subnet `up` was asked for. */
export function superviseArgs(config: z.output<typeof upSchema>): string[] {
  const args = ['supervise', '--dir', resolve(config.dir), '--workers', String(config.workers), '--logging.format', 'json', '--logging.level', config.logging.level];
  const optional = { validators: config.validators, miners: config.miners, 'chain-port': config.chainPort, 'redis-port': config.redisPort, 's3-port': config.s3Port, 'dashboard-port': config.dashboardPort, 'block-time-ms': config.blockTimeMs, 'blocks-per-window': config.blocksPerWindow, preset: config.preset, data: config.data === undefined ? undefined : resolveText(config.data), tempo: config.tempo };
  for (const [flag, value] of Object.entries(optional)) if (value !== undefined) args.push(`--${flag}`, String(value));
  if (config.dataset !== undefined) args.push(config.dataset ? '--dataset' : '--no-dataset');
  return args;
}

export const upCommand = defineCommand({
  summary: 'start a whole subnet on loopback: devnet, Redis, S3, validators, miners and the dashboard',
  details:
    'In a folder that already holds a subnet (after `down`) this resumes it; remove the folder to start afresh. Every process is supervised: one that crashes is restarted with backoff (1 s doubling to 30 s), and `status` and the dashboard show its restarts. Without --foreground the supervisor is a process of its own (`crucible-local supervise`, log in <dir>/logs/supervisor.log) that keeps running after `up` returns.',
  schema: upSchema,
  async run(config, { logger, signal, print }) {
    if (config.foreground) {
      const subnet = await startLocalSubnet({ ...localSubnetOptions(config), detached: false, supervise: { logger }, supervisorPid: process.pid, logger });
      print(formatSummary(subnet, true, config.dir));
      await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
      await subnet.close();
      logger.info('stopped');
      return 0;
    }
    const dir = resolve(config.dir);
    const running = readLocalState(dir);
    if (running && (running.processes.some((p) => isAlive(p.pid)) || (running.supervisorPid !== undefined && isAlive(running.supervisorPid)))) {
      throw new CrucibleError('USAGE', `a local subnet is already up in ${dir}; run 'crucible-local down --dir ${config.dir}' first`, { details: { dir } });
    }
    mkdirSync(join(dir, 'logs'), { recursive: true });
    rmSync(summaryFile(dir), { force: true });
    // The supervisor owns every process of the subnet and outlives this command.
    const supervisor = spawnService('supervisor', process.execPath, [packageBin('@crucible/deploy', 'crucible-local'), ...superviseArgs(config)], {
      logFile: join(dir, 'logs', 'supervisor.log'),
      detached: true,
      env: childEnv(),
    });
    logger.info('supervisor starting the subnet', { pid: supervisor.pid, log: join(dir, 'logs', 'supervisor.log') });
    await waitUntil('the local subnet to come up (see logs/supervisor.log)', async () => existsSync(summaryFile(dir)), {
      timeoutMs: 15 * 60_000,
      intervalMs: 250,
      alive: () => supervisor.exitReason(),
    }).catch((error: unknown) => {
      const tail = existsSync(join(dir, 'logs', 'supervisor.log')) ? readFileSync(join(dir, 'logs', 'supervisor.log'), 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new CrucibleError('SERVICE_START_FAILED', `the local subnet did not come up: ${error instanceof Error ? error.message : String(error)}\n${tail}`, { cause: error });
    });
    print(readFileSync(summaryFile(dir), 'utf8').trimEnd());
    return 0;
  },
});

/** Where the supervisor writes the summary once everything is up (and `up` waits for it). */
export function summaryFile(dir: string): string {
  return join(dir, 'summary.txt');
}

export const superviseSchema = upSchema.omit({ foreground: true });

export const superviseCommand = defineCommand({
  summary: 'start a local subnet and keep it running, restarting crashed processes (what `up` runs in the background)',
  schema: superviseSchema,
  async run(config, { logger, signal }) {
    const subnet = await startLocalSubnet({ ...localSubnetOptions({ ...config, foreground: false }), detached: true, dashboardProcess: true, supervise: { logger }, supervisorPid: process.pid, logger });
    const dir = resolve(config.dir);
    const tmp = `${summaryFile(dir)}.tmp`;
    writeFileSync(tmp, formatSummary(subnet, false, config.dir) + '\n');
    renameSync(tmp, summaryFile(dir));
    logger.info('local subnet up; supervising', { processes: subnet.processNames() });
    await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
    await subnet.close();
    rmSync(summaryFile(dir), { force: true });
    logger.info('stopped');
    return 0;
  },
});
