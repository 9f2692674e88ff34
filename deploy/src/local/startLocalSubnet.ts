import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CrucibleError, createLogger, keypairFromUri, cryptoReady, type Logger } from '@crucible/core';
import { presetTokenizers, type PresetName } from '@crucible/model';
import { bootstrapSubnet, connectChain, transfer, type ChainClient } from '@crucible/chain';
import { endpointPolicyFromFlags, type PeerEndpointFlags } from '@crucible/storage';
import type { ServiceProcess } from '../services/childProcess.js';
import { ProcessTable, type ProcessRecord, type SuperviseOptions } from './processTable.js';
import { freePort } from '../services/freePort.js';
import { startRedis } from '../services/redis.js';
import { startS3Server } from '../services/s3.js';
import { isAlive, readLocalState, writeLocalState } from '../commands/localState.js';
import { startDashboard } from '../dashboard/startDashboard.js';
import { startDevnetProcess } from './devnetProcess.js';
import { ensureLocalWallet, loadLocalColdkey, type LocalWallet } from './localWallets.js';
import { datasetGenesisArgs, publishLocalDataset, type LocalDataset } from './localDataset.js';
import { genesisArgs, minerArgs, peerEndpointArgs, validatorArgs, type NeuronContext } from './neuronArgs.js';
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
  /**
   * Train on a published dataset (as a real subnet does): before genesis, `crucible-data prepare`
   * tokenizes `data` with the preset's tokenizer into shards in the owner's bucket on the local S3
   * server, and genesis pins it; neurons then fetch only the pages they use. False (the default here;
   * `crucible-local up` turns it on): every party loads `data` whole, as a corpus.
   */
  dataset?: boolean;
  /** The text: `sotu` (the shipped corpus, default) or a file or folder of UTF-8 text. */
  data?: string;
  /** Subnet tempo (blocks between Yuma epochs). */
  tempo?: number;
  /** Start processes in their own process groups so they outlive this one (`crucible-local up`). */
  detached?: boolean;
  /** Run the dashboard as a process of its own rather than in this one (default: as `detached`). */
  dashboardProcess?: boolean;
  /**
   * Restart any process that exits without being asked to, with backoff, counting restarts (what
   * `crucible-local up` does). Off by default: a test that kills a process restarts it itself.
   */
  supervise?: boolean | SuperviseOptions;
  /** The supervising process's pid, recorded in the state file for `down` and `status`. */
  supervisorPid?: number;
  /** External `crucible-validator worker` processes per validator (default 0: in-process workers only). */
  validatorWorkers?: number;
  /**
   * Which peers' endpoints the neurons and the dashboard may read. Default: every private address
   * (`--storage.allow-private-endpoints`), as a loopback subnet needs. With `allowPrivateEndpoints: false`
   * only the subnet's own S3 server (added here, address and port) and `allowAddresses` are allowed:
   * a suite can then check that nothing reaches any other local address.
   */
  peerEndpoints?: PeerEndpointFlags;
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
  /** The published dataset the run trains on, when it trains on one. */
  readonly dataset: { text: string; name: string; manifestHash: string } | undefined;
  /** Names of the processes it runs: redis, s3, chain, validator-0.., miner-0.., dashboard. */
  processNames(): string[];
  /** Each process with its pid, status and restarts (as written to the state file). */
  records(): ProcessRecord[];
  process(name: string): ServiceProcess | undefined;
  /** Sends `signal` (default SIGKILL) to one process and waits for it to exit; it stays stopped until restart(). */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped or killed process again with the same command line. */
  restart(name: string): Promise<void>;
  /** A chain client for the test or tool that started the subnet (closed by `close`). */
  client(): Promise<ChainClient>;
  /** Stops everything it started: neurons first, then the dashboard, S3, Redis and the chain. Idempotent. */
  close(): Promise<void>;
}

/** The subnet's endpoint policy flags: strict ones always let the processes reach the subnet's own S3 server. */
function peerEndpointsFor(given: PeerEndpointFlags | undefined, s3Endpoint: string): PeerEndpointFlags {
  if (given === undefined) return { allowPrivateEndpoints: true, allowAddresses: [] };
  if (given.allowPrivateEndpoints) return given;
  const own = new URL(s3Endpoint).host;
  return { allowPrivateEndpoints: false, allowAddresses: [...new Set([own, ...given.allowAddresses])] };
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

interface Layout {
  dir: string;
  detached: boolean;
  previous: SubnetRecord | undefined;
  specs: MinerSpec[];
  blocksPerWindow: number;
  blockTimeMs: number;
  preset: string;
  /** The run's text and whether it is published as a dataset (a resumed subnet keeps its own). */
  data: { text: string; dataset: boolean };
  ports: { chain: number; redis: number; s3: number; dashboard: number };
  walletPath: string;
  owner: LocalWallet;
  validators: LocalWallet[];
  miners: LocalWallet[];
}

/**
 * Brings up a whole subnet on loopback: Redis, the S3 server and the devnet as processes, wallets, the
 * subnet (created, configured, funded, registered, staked) and its genesis checkpoint, then validators,
 * miners and the dashboard as processes. In a folder that already holds a subnet (after `down`), it
 * resumes that subnet instead of creating another. Refuses a folder whose subnet is still running.
 */
export async function startLocalSubnet(options: LocalSubnetOptions): Promise<LocalSubnet> {
  const logger = options.logger ?? createLogger({ name: 'crucible-local', level: 'info', format: 'json' });
  const layout = await planLayout(options);
  let save = () => {};
  const supervise = options.supervise === true ? { logger } : options.supervise === false ? undefined : options.supervise;
  const table = new ProcessTable(supervise === undefined ? undefined : { logger, ...supervise }, () => save());
  const inProcess: Array<() => Promise<void>> = [];
  let client: ChainClient | undefined;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      for (const stop of inProcess) await stop();
      await client?.close();
      // Neurons first, services last, so nothing logs a storm of connection errors on the way down.
      await table.closeAll(10_000);
      save = () => {};
      if (!layout.detached) writeLocalState(layout.dir, { version: 1, startedAt: new Date().toISOString(), dir: layout.dir, processes: [], endpoints: {} });
    })());
  try {
    const services = await startServices(table, layout);
    // No logger: this client is closed on purpose while the chain runs on, which it would log as a drop.
    client = await connectChain({ endpoint: services.chain });
    const record = await ensureSubnet(client, layout, options, logger);
    const peerEndpoints = peerEndpointsFor(options.peerEndpoints, services.s3.endpoint);
    const ctx: NeuronContext = { dir: layout.dir, walletPath: layout.walletPath, netuid: record.netuid, chainEndpoint: services.chain, redisUrl: services.redis, s3: services.s3, peerEndpoints };
    if (options.genesis ?? true) await ensureGenesis(ctx, layout, record, options, logger);
    if (options.startNeurons ?? true) await startNeurons(table, ctx, layout, options);
    const dashboardUrl = options.dashboard ?? true ? await startDashboardPart(table, inProcess, ctx, layout, options.dashboardProcess ?? layout.detached, logger) : undefined;
    const endpoints = { chain: services.chain, chainHttp: services.chainHttp, redis: services.redis, s3: services.s3.endpoint, ...(dashboardUrl ? { dashboard: dashboardUrl } : {}) };
    const startedAt = new Date().toISOString();
    const saveState = () =>
      writeLocalState(layout.dir, {
        version: 1,
        startedAt,
        dir: layout.dir,
        ...(options.supervisorPid !== undefined ? { supervisorPid: options.supervisorPid } : {}),
        processes: table.records(),
        endpoints: { ...endpoints, netuid: String(record.netuid) },
      });
    save = saveState;
    saveState();
    return {
      dir: layout.dir,
      netuid: record.netuid,
      blocksPerWindow: layout.blocksPerWindow,
      walletPath: layout.walletPath,
      endpoints,
      s3: services.s3,
      owner: layout.owner,
      validators: layout.validators,
      miners: layout.miners,
      dataset: datasetOf(readSubnetRecord(layout.dir)),
      processNames: () => [...table.order],
      records: () => table.records(),
      process: (name) => table.process(name),
      async kill(name, signal = 'SIGKILL') {
        if (!table.has(name)) throw new CrucibleError('USAGE', `no process named ${name}`);
        await table.stop(name, signal, 10_000);
      },
      async restart(name) {
        if (!table.has(name)) throw new CrucibleError('USAGE', `no process named ${name}`);
        await table.restart(name);
      },
      async client() {
        client ??= await connectChain({ endpoint: services.chain });
        return client;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function datasetOf(record: SubnetRecord | undefined): LocalSubnet['dataset'] {
  const d = record?.data;
  return d?.dataset && d.name && d.manifestHash ? { text: d.text, name: d.name, manifestHash: d.manifestHash } : undefined;
}

/** Step 1: the folder, ports, window length and wallets (a resumed subnet keeps what it recorded). */
async function planLayout(options: LocalSubnetOptions): Promise<Layout> {
  const dir = resolve(options.dir);
  const running = readLocalState(dir);
  if (running && (running.processes.some((p) => isAlive(p.pid)) || (running.supervisorPid !== undefined && running.supervisorPid !== options.supervisorPid && isAlive(running.supervisorPid)))) {
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
  const walletPath = join(dir, 'wallets');
  return {
    dir,
    detached: options.detached ?? false,
    previous,
    specs,
    blocksPerWindow: previous?.blocksPerWindow ?? options.blocksPerWindow ?? 10,
    blockTimeMs: options.blockTimeMs ?? previous?.blockTimeMs ?? 1000,
    preset: previous?.preset ?? options.preset ?? 'tiny',
    data: { text: previous?.data?.text ?? options.data ?? 'sotu', dataset: previous?.data?.dataset ?? options.dataset ?? false },
    ports: {
      chain: await choosePort(options.chainPort, previous?.chainPort, 9944),
      redis: await choosePort(options.redisPort, previous?.redisPort),
      s3: await choosePort(options.s3Port, previous?.s3Port),
      dashboard: await choosePort(options.dashboardPort, previous?.dashboardPort),
    },
    walletPath,
    owner: await ensureLocalWallet(walletPath, 'owner'),
    validators: await Promise.all(Array.from({ length: validatorCount }, (_, i) => ensureLocalWallet(walletPath, `validator-${i}`))),
    miners: await Promise.all(Array.from({ length: minerCount }, (_, i) => ensureLocalWallet(walletPath, `miner-${i}`))),
  };
}

/** Step 2: Redis, the S3 server (one bucket per wallet) and the devnet, as processes. */
async function startServices(table: ProcessTable, layout: Layout) {
  const { dir, detached, ports } = layout;
  const buckets = [layout.owner, ...layout.validators, ...layout.miners].map((w) => w.name);
  await table.launch('redis', async () => (await startRedis({ dir, port: ports.redis, persist: true, detached })).process);
  let s3Info: Awaited<ReturnType<typeof startS3Server>> | undefined;
  await table.launch('s3', async () => {
    s3Info = await startS3Server({ dir, port: ports.s3, buckets, detached });
    return s3Info.process;
  });
  let chain = '';
  let chainHttp = '';
  await table.launch('chain', async () => {
    const devnet = await startDevnetProcess({ dir, port: ports.chain, blockTimeMs: layout.blockTimeMs, detached });
    chain = devnet.endpoint;
    chainHttp = devnet.httpEndpoint;
    return devnet.process;
  });
  const s3 = { endpoint: s3Info!.endpoint, region: s3Info!.region, accessKeyId: s3Info!.accessKeyId, secretAccessKey: s3Info!.secretAccessKey };
  return { chain, chainHttp, redis: `redis://127.0.0.1:${ports.redis}`, s3 };
}

/** Step 3: the subnet on chain (created once, then resumed from its record). */
async function ensureSubnet(client: ChainClient, layout: Layout, options: LocalSubnetOptions, logger: Logger): Promise<SubnetRecord> {
  const { previous } = layout;
  let netuid = previous?.netuid;
  if (netuid === undefined) {
    netuid = await createSubnet(client, { owner: layout.owner, validators: layout.validators, miners: layout.miners, walletPath: layout.walletPath, stakes: options.validatorStakes, tempo: options.tempo ?? 20 });
    logger.info('subnet created', { netuid });
  }
  const record: SubnetRecord = {
    version: 1,
    createdAt: previous?.createdAt ?? new Date().toISOString(),
    netuid,
    chainPort: layout.ports.chain,
    redisPort: layout.ports.redis,
    s3Port: layout.ports.s3,
    dashboardPort: layout.ports.dashboard,
    blockTimeMs: layout.blockTimeMs,
    blocksPerWindow: layout.blocksPerWindow,
    preset: layout.preset,
    data: { ...layout.data, ...(previous?.data?.name ? { name: previous.data.name, manifestHash: previous.data.manifestHash } : {}) },
    owner: layout.owner,
    validators: layout.validators,
    miners: layout.miners,
    genesisDone: previous?.genesisDone ?? false,
  };
  writeSubnetRecord(layout.dir, record);
  return record;
}

/**
 * Step 4: the owner publishes the run's dataset with `crucible-data prepare` (when the subnet trains on
 * one), then the genesis checkpoint with `crucible-validator genesis`, which pins it (once).
 */
async function ensureGenesis(ctx: NeuronContext, layout: Layout, record: SubnetRecord, options: LocalSubnetOptions, logger: Logger): Promise<void> {
  if (record.genesisDone) return;
  let dataset: LocalDataset | undefined;
  if (layout.data.dataset) {
    const tokenizer = presetTokenizers[layout.preset as PresetName] ?? 'bytes';
    logger.info('preparing the dataset', { text: layout.data.text, tokenizer, log: join(layout.dir, 'logs', 'dataset.log') });
    dataset = await publishLocalDataset(ctx, layout.owner, { text: layout.data.text, tokenizer });
    writeSubnetRecord(layout.dir, (record = { ...record, data: { ...record.data!, name: dataset.name, manifestHash: dataset.manifestHash } }));
    logger.info('dataset published', { name: dataset.name, manifestHash: dataset.manifestHash, bucket: layout.owner.name });
  }
  const extra = [...(dataset ? datasetGenesisArgs(ctx, layout.owner, dataset) : layout.data.text !== 'sotu' ? ['--corpus', layout.data.text] : []), ...(options.genesisArgs ?? [])];
  await runToCompletion(
    {
      name: 'genesis',
      command: process.execPath,
      args: [packageBin('@crucible/validator', 'crucible-validator'), ...genesisArgs(ctx, layout.owner, { preset: layout.preset, blocksPerWindow: layout.blocksPerWindow, blockTimeMs: layout.blockTimeMs, extra })],
      logFile: join(layout.dir, 'logs', 'genesis.log'),
    },
    { env: childEnv(), timeoutMs: 180_000 },
  );
  writeSubnetRecord(layout.dir, { ...record, genesisDone: true });
  logger.info('genesis checkpoint published', { netuid: record.netuid, dataset: dataset?.name ?? null });
}

/** Step 5: validators, then miners (the honest crucible-miner, or a given program), each its own process. */
async function startNeurons(table: ProcessTable, ctx: NeuronContext, layout: Layout, options: LocalSubnetOptions): Promise<void> {
  const env = childEnv();
  const { detached, dir } = layout;
  const validatorBin = packageBin('@crucible/validator', 'crucible-validator');
  for (const wallet of layout.validators) {
    const port = await freePort();
    const spec: ProcessSpec = {
      name: wallet.name,
      command: process.execPath,
      args: [validatorBin, ...validatorArgs(ctx, wallet, port), ...(options.validatorArgs ?? [])],
      logFile: join(dir, 'logs', `${wallet.name}.log`),
      readyUrl: `http://127.0.0.1:${port}/metrics`,
    };
    await table.launch(wallet.name, () => startProcess(spec, { detached, env }));
    for (let w = 0; w < (options.validatorWorkers ?? 0); w++) {
      const name = `${wallet.name}-worker-${w}`;
      const worker: ProcessSpec = {
        name,
        command: process.execPath,
        // The validator's own flags (same wallet, Redis and queue), with no metrics port of its own.
        args: [validatorBin, 'worker', ...validatorArgs(ctx, wallet, 0), ...(options.validatorArgs ?? []), '--state-dir', join(dir, 'state', name)],
        logFile: join(dir, 'logs', `${name}.log`),
      };
      await table.launch(name, () => startProcess(worker, { detached, env }));
    }
  }
  const minerBin = packageBin('@crucible/miner', 'crucible-miner');
  for (const [i, wallet] of layout.miners.entries()) {
    const custom = layout.specs[i]?.command;
    const port = await freePort();
    const [command, ...prefix] = custom ?? [process.execPath, minerBin];
    const waitReady = layout.specs[i]?.waitReady ?? custom === undefined;
    const spec: ProcessSpec = {
      name: wallet.name,
      command: command!,
      args: [...prefix, ...minerArgs(ctx, wallet, port), ...(options.minerArgs ?? [])],
      logFile: join(dir, 'logs', `${wallet.name}.log`),
      ...(waitReady ? { readyUrl: `http://127.0.0.1:${port}/metrics` } : {}),
    };
    await table.launch(wallet.name, () => startProcess(spec, { detached, env }));
  }
}

/**
 * Step 6: the dashboard. `up` returns while everything runs on, so there it is a process of its own;
 * otherwise it runs in this process.
 */
async function startDashboardPart(table: ProcessTable, inProcess: Array<() => Promise<void>>, ctx: NeuronContext, layout: Layout, asProcess: boolean, logger: Logger): Promise<string> {
  const url = `http://127.0.0.1:${layout.ports.dashboard}`;
  if (asProcess) {
    const spec: ProcessSpec = {
      name: 'dashboard',
      command: process.execPath,
      args: [packageBin('@crucible/deploy', 'crucible-local'), 'dashboard', '--dir', layout.dir, '--port', String(layout.ports.dashboard), ...peerEndpointArgs(ctx), '--logging.format', 'json'],
      logFile: join(layout.dir, 'logs', 'dashboard.log'),
      readyUrl: `${url}/api/health`,
    };
    await table.launch('dashboard', () => startProcess(spec, { detached: layout.detached, env: childEnv() }));
  } else {
    const dashboard = await startDashboard({
      chainEndpoint: ctx.chainEndpoint,
      netuid: ctx.netuid,
      blocksPerWindow: layout.blocksPerWindow,
      port: layout.ports.dashboard,
      names: new Map([layout.owner, ...layout.validators, ...layout.miners].map((w) => [w.hotkeyAddress, w.name])),
      validatorStateDirs: layout.validators.map((v) => join(layout.dir, 'state', v.name)),
      localDir: layout.dir,
      peerReads: { endpointPolicy: endpointPolicyFromFlags(ctx.peerEndpoints ?? { allowPrivateEndpoints: true }) },
      logger,
    });
    inProcess.push(() => dashboard.close());
  }
  return url;
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
    // Permits for the validators and the owner's hotkey (it collects the owner cut as stake, so it holds one too; it is never elected to aggregate), miners none.
    hyperparameters: { tempo: input.tempo, maxAllowedValidators: input.validators.length + 1 },
  });
  await Promise.all([input.owner, ...input.validators, ...input.miners].map((w) => transfer(client, sudo, w.hotkeyAddress, 100n * TAO)));
  return netuid;
}
