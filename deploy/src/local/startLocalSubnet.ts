import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CrucibleError, createLogger, keypairFromUri, cryptoReady, type Logger } from '@crucible/core';
import { bootstrapSubnet, connectChain, transfer, type ChainClient } from '@crucible/chain';
import type { ServiceProcess } from '../services/childProcess.js';
import { freePort } from '../services/freePort.js';
import { startRedis } from '../services/redis.js';
import { startS3Server } from '../services/s3.js';
import { isAlive, readLocalState, writeLocalState } from '../commands/localState.js';
import { startDashboard } from '../dashboard/startDashboard.js';
import { startDevnetProcess } from './devnetProcess.js';
import { ensureLocalWallet, loadLocalColdkey, type LocalWallet } from './localWallets.js';
import { genesisArgs, minerArgs, validatorArgs, type NeuronContext } from './neuronArgs.js';
import { packageBin } from './packageBin.js';
import { childEnv, runToCompletion, startProcess, type ProcessSpec } from './startNeuron.js';
import { readSubnetRecord, writeSubnetRecord, type SubnetRecord } from './subnetRecord.js';

const TAO = 1_000_000_000n;

/** A miner slot: the honest `crucible-miner` by default, or any program taking the miner's flags (test cheaters). */
export interface MinerSpec {
  /** argv before the standard miner flags, e.g. [process.execPath, '--import', 'tsx', 'cheater.ts', '--mode', 'noise']. */
  command?: string[];
  /** Wait for its /metrics to answer before going on (default: true for the honest miner, false otherwise). */
  waitReady?: boolean;
}

export interface LocalSubnetOptions {
  /** Folder for chain data, wallets, buckets, neuron state and logs. */
  dir: string;
  /** Number of validators (default 2) and their stakes in rao (default 3000, 1000, 1000... TAO). */
  validators?: number;
  validatorStakes?: bigint[];
  /** Number of honest miners (default 3), or one spec per miner. */
  miners?: number | MinerSpec[];
  /** Devnet JSON-RPC port (default 9944; 0 picks a free one). */
  chainPort?: number;
  redisPort?: number;
  s3Port?: number;
  /** Dashboard port (default 0: a free one); `dashboard: false` starts none. */
  dashboardPort?: number;
  dashboard?: boolean;
  blockTimeMs?: number;
  blocksPerWindow?: number;
  /** Model preset written into the genesis run configuration. */
  preset?: string;
  /** Subnet tempo (blocks between Yuma epochs). */
  tempo?: number;
  /** Start processes in their own process groups so they outlive this one (`crucible-local up`). */
  detached?: boolean;
  /** Extra flags for every validator / miner (e.g. ['--train.inner-steps', '4']). */
  validatorArgs?: string[];
  minerArgs?: string[];
  /** Extra flags for `crucible-validator genesis` (run configuration, e.g. ['--inner-steps', '4']). */
  genesisArgs?: string[];
  /** Publish the genesis checkpoint with `crucible-validator genesis` (default true). */
  genesis?: boolean;
  /** Start the neurons (default true); false stops after genesis, for tests that start them themselves. */
  startNeurons?: boolean;
  logger?: Logger;
}

export interface LocalSubnet {
  readonly dir: string;
  readonly netuid: number;
  readonly blocksPerWindow: number;
  readonly walletPath: string;
  readonly endpoints: { chain: string; chainHttp: string; redis: string; s3: string; dashboard?: string };
  readonly s3: NeuronContext['s3'];
  readonly owner: LocalWallet;
  readonly validators: readonly LocalWallet[];
  readonly miners: readonly LocalWallet[];
  /** Names of the processes it runs: chain, redis, s3, validator-0.., miner-0.., dashboard. */
  processNames(): string[];
  process(name: string): ServiceProcess | undefined;
  /** Sends `signal` (default SIGKILL) to one process and waits for it to exit. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped or killed process again with the same command line. */
  restart(name: string): Promise<void>;
  /** A chain client for the test or tool that started the subnet (closed by `close`). */
  client(): Promise<ChainClient>;
  /** Stops everything it started: neurons first, then the dashboard, S3, Redis and the chain. Idempotent. */
  close(): Promise<void>;
}

/** A port given explicitly wins; otherwise a resumed subnet keeps its recorded port; 0 means any free one. */
async function choosePort(given: number | undefined, recorded: number | undefined, fallback?: number): Promise<number> {
  if (given !== undefined && given !== 0) return given;
  if (recorded !== undefined) return recorded;
  if (given === 0 || fallback === undefined) return freePort();
  return fallback;
}

function minerSpecs(miners: LocalSubnetOptions['miners']): MinerSpec[] {
  if (Array.isArray(miners)) return miners;
  return Array.from({ length: miners ?? 3 }, () => ({}));
}

/**
 * Brings up a whole subnet on loopback: Redis, the S3 server and the devnet as processes, wallets, the
 * subnet (created, configured, funded, registered, staked) and its genesis checkpoint, then validators,
 * miners and the dashboard as processes. In a folder that already holds a subnet (after `down`), it
 * resumes that subnet instead of creating another. Refuses a folder whose subnet is still running.
 */
export async function startLocalSubnet(options: LocalSubnetOptions): Promise<LocalSubnet> {
  const dir = resolve(options.dir);
  const logger = options.logger ?? createLogger({ name: 'crucible-local', level: 'info', format: 'json' });
  const detached = options.detached ?? false;
  const running = readLocalState(dir);
  if (running && running.processes.some((p) => isAlive(p.pid))) {
    throw new CrucibleError('USAGE', `a local subnet is already up in ${dir}; run 'crucible-local down --dir ${dir}' first`, { details: { dir } });
  }
  mkdirSync(join(dir, 'logs'), { recursive: true });
  await cryptoReady();

  const previous = readSubnetRecord(dir);
  const specs = minerSpecs(options.miners);
  const validatorCount = previous?.validators.length ?? options.validators ?? 2;
  if (validatorCount < 1) throw new CrucibleError('USAGE', 'a subnet needs at least one validator');
  const minerCount = previous?.miners.length ?? specs.length;
  if (previous && previous.miners.length !== specs.length && options.miners !== undefined) {
    throw new CrucibleError('USAGE', `${dir} holds a subnet with ${previous.miners.length} miners; start it with the same count or use a new folder`);
  }
  const blocksPerWindow = previous?.blocksPerWindow ?? options.blocksPerWindow ?? 10;
  const blockTimeMs = options.blockTimeMs ?? previous?.blockTimeMs ?? 1000;
  const preset = previous?.preset ?? options.preset ?? 'tiny';
  const chainPort = await choosePort(options.chainPort, previous?.chainPort, 9944);
  const redisPort = await choosePort(options.redisPort, previous?.redisPort);
  const s3Port = await choosePort(options.s3Port, previous?.s3Port);
  const dashboardPort = await choosePort(options.dashboardPort, previous?.dashboardPort);

  const walletPath = join(dir, 'wallets');
  const owner = await ensureLocalWallet(walletPath, 'owner');
  const validators = await Promise.all(Array.from({ length: validatorCount }, (_, i) => ensureLocalWallet(walletPath, `validator-${i}`)));
  const miners = await Promise.all(Array.from({ length: minerCount }, (_, i) => ensureLocalWallet(walletPath, `miner-${i}`)));
  const buckets = [owner, ...validators, ...miners].map((w) => w.name);

  const processes = new Map<string, ServiceProcess>();
  const restarters = new Map<string, () => Promise<ServiceProcess>>();
  let client: ChainClient | undefined;
  let closed: Promise<void> | undefined;
  const order: string[] = [];
  const inProcess: Array<() => Promise<void>> = [];

  const launch = async (name: string, start: () => Promise<ServiceProcess>) => {
    restarters.set(name, start);
    processes.set(name, await start());
    if (!order.includes(name)) order.push(name);
  };

  const close = () =>
    (closed ??= (async () => {
      for (const stop of inProcess) await stop();
      await client?.close();
      // Neurons first, services last, so nothing logs a storm of connection errors on the way down.
      for (const name of [...order].reverse()) await processes.get(name)?.stop('SIGTERM', 10_000);
      if (!detached) writeLocalState(dir, { version: 1, startedAt: new Date().toISOString(), dir, processes: [], endpoints: {} });
    })());

  try {
    await launch('redis', async () => (await startRedis({ dir, port: redisPort, persist: true, detached })).process);
    let s3Info: Awaited<ReturnType<typeof startS3Server>> | undefined;
    await launch('s3', async () => {
      s3Info = await startS3Server({ dir, port: s3Port, buckets, detached });
      return s3Info.process;
    });
    const s3 = { endpoint: s3Info!.endpoint, region: s3Info!.region, accessKeyId: s3Info!.accessKeyId, secretAccessKey: s3Info!.secretAccessKey };
    let chainEndpoint = '';
    let chainHttp = '';
    await launch('chain', async () => {
      const devnet = await startDevnetProcess({ dir, port: chainPort, blockTimeMs, detached });
      chainEndpoint = devnet.endpoint;
      chainHttp = devnet.httpEndpoint;
      return devnet.process;
    });
    // No logger: this client is closed on purpose while the chain runs on, which it would log as a drop.
    client = await connectChain({ endpoint: chainEndpoint });

    let netuid = previous?.netuid;
    if (netuid === undefined) {
      netuid = await createSubnet(client, { owner, validators, miners, walletPath, stakes: options.validatorStakes, tempo: options.tempo ?? 20 });
      logger.info('subnet created', { netuid });
    }
    const record: SubnetRecord = {
      version: 1,
      createdAt: previous?.createdAt ?? new Date().toISOString(),
      netuid,
      chainPort,
      redisPort,
      s3Port,
      dashboardPort,
      blockTimeMs,
      blocksPerWindow,
      preset,
      owner,
      validators,
      miners,
      genesisDone: previous?.genesisDone ?? false,
    };
    writeSubnetRecord(dir, record);

    const ctx: NeuronContext = { dir, walletPath, netuid, chainEndpoint, redisUrl: `redis://127.0.0.1:${redisPort}`, s3 };
    const validatorBin = () => packageBin('@crucible/validator', 'crucible-validator');
    if (!record.genesisDone && (options.genesis ?? true)) {
      await runToCompletion(
        { name: 'genesis', command: process.execPath, args: [validatorBin(), ...genesisArgs(ctx, owner, { preset, blocksPerWindow, extra: options.genesisArgs ?? [] })], logFile: join(dir, 'logs', 'genesis.log') },
        { env: childEnv(), timeoutMs: 180_000 },
      );
      writeSubnetRecord(dir, { ...record, genesisDone: true });
      logger.info('genesis checkpoint published', { netuid });
    }

    if (options.startNeurons ?? true) {
      const env = childEnv();
      for (const wallet of validators) {
        const port = await freePort();
        const spec: ProcessSpec = {
          name: wallet.name,
          command: process.execPath,
          args: [validatorBin(), ...validatorArgs(ctx, wallet, port), ...(options.validatorArgs ?? [])],
          logFile: join(dir, 'logs', `${wallet.name}.log`),
          readyUrl: `http://127.0.0.1:${port}/metrics`,
        };
        await launch(wallet.name, () => startProcess(spec, { detached, env }));
      }
      const minerBin = packageBin('@crucible/miner', 'crucible-miner');
      for (const [i, wallet] of miners.entries()) {
        const custom = specs[i]?.command;
        const port = await freePort();
        const [command, ...prefix] = custom ?? [process.execPath, minerBin];
        const waitReady = specs[i]?.waitReady ?? custom === undefined;
        const spec: ProcessSpec = {
          name: wallet.name,
          command: command!,
          args: [...prefix, ...minerArgs(ctx, wallet, port), ...(options.minerArgs ?? [])],
          logFile: join(dir, 'logs', `${wallet.name}.log`),
          ...(waitReady ? { readyUrl: `http://127.0.0.1:${port}/metrics` } : {}),
        };
        await launch(wallet.name, () => startProcess(spec, { detached, env }));
      }
    }

    let dashboardUrl: string | undefined;
    if (options.dashboard ?? true) {
      dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
      if (detached) {
        // `up` returns while everything runs on, so the dashboard is a process of its own.
        const spec: ProcessSpec = {
          name: 'dashboard',
          command: process.execPath,
          args: [packageBin('@crucible/deploy', 'crucible-local'), 'dashboard', '--dir', dir, '--port', String(dashboardPort), '--logging.format', 'json'],
          logFile: join(dir, 'logs', 'dashboard.log'),
          readyUrl: `${dashboardUrl}/api/health`,
        };
        await launch('dashboard', () => startProcess(spec, { detached, env: childEnv() }));
      } else {
        const dashboard = await startDashboard({
          chainEndpoint,
          netuid,
          blocksPerWindow,
          port: dashboardPort,
          names: new Map([owner, ...validators, ...miners].map((w) => [w.hotkeyAddress, w.name])),
          validatorStateDirs: validators.map((v) => join(dir, 'state', v.name)),
          logger,
        });
        inProcess.push(() => dashboard.close());
      }
    }

    const endpoints = { chain: chainEndpoint, chainHttp, redis: ctx.redisUrl, s3: s3.endpoint, ...(dashboardUrl ? { dashboard: dashboardUrl } : {}) };
    const saveState = () =>
      writeLocalState(dir, {
        version: 1,
        startedAt: new Date().toISOString(),
        dir,
        processes: order.map((name) => processes.get(name)!).map((p) => ({ name: p.name, pid: p.pid, logFile: p.logFile })),
        endpoints: { ...endpoints, netuid: String(netuid) },
      });
    saveState();

    return {
      dir,
      netuid,
      blocksPerWindow,
      walletPath,
      endpoints,
      s3,
      owner,
      validators,
      miners,
      processNames: () => [...order],
      process: (name) => processes.get(name),
      async kill(name, signal = 'SIGKILL') {
        const p = processes.get(name);
        if (!p) throw new CrucibleError('USAGE', `no process named ${name}`);
        await p.stop(signal, 10_000);
      },
      async restart(name) {
        const start = restarters.get(name);
        if (!start) throw new CrucibleError('USAGE', `no process named ${name}`);
        const p = processes.get(name);
        if (p && p.exitReason() === undefined) await p.stop('SIGTERM', 10_000);
        processes.set(name, await start());
        saveState();
      },
      async client() {
        client ??= await connectChain({ endpoint: chainEndpoint });
        return client;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * register_network with //Alice as the owner's coldkey and `owner` as its hotkey, hyperparameters for a
 * fast local run, every coldkey funded, validators and miners registered, validators staked with
 * different amounts; hotkeys get a little TAO too, for the fees of set_commitment and set_weights.
 */
async function createSubnet(
  client: ChainClient,
  input: { owner: LocalWallet; validators: LocalWallet[]; miners: LocalWallet[]; walletPath: string; stakes: bigint[] | undefined; tempo: number },
): Promise<number> {
  const sudo = keypairFromUri('//Alice');
  const stakes = input.stakes ?? input.validators.map((_, i) => (i === 0 ? 3000n : 1000n) * TAO);
  const neurons = [
    ...(await Promise.all(input.validators.map(async (w, i) => ({ coldkey: await loadLocalColdkey(input.walletPath, w), hotkey: w.hotkeyAddress, stake: stakes[i] ?? 1000n * TAO })))),
    ...(await Promise.all(input.miners.map(async (w) => ({ coldkey: await loadLocalColdkey(input.walletPath, w), hotkey: w.hotkeyAddress })))),
  ];
  const maxStake = stakes.reduce((a, b) => (a > b ? a : b), 0n);
  const { netuid } = await bootstrapSubnet(client, {
    sudo,
    ownerHotkey: input.owner.hotkeyAddress,
    neurons,
    fund: maxStake + 1000n * TAO,
    // Permits for the validators only (the owner's hotkey collects the owner cut as stake, miners none).
    hyperparameters: { tempo: input.tempo, maxAllowedValidators: input.validators.length },
  });
  await Promise.all([input.owner, ...input.validators, ...input.miners].map((w) => transfer(client, sudo, w.hotkeyAddress, 100n * TAO)));
  return netuid;
}
