import {
  CrucibleError,
  createLogger,
  describeError,
  expandHome,
  loadColdkey,
  loadHotkey,
  startMetricsServer,
  type Keypair,
  type Logger,
  type MetricsServer,
} from '@crucible/core';
import { chainReader, connectChain, currentBlock, genesisHash, subnetOwnerHotkey, watchBlocks } from '@crucible/chain';
import { createS3Store, endpointPolicyFromFlags, ownBucket, PeerStores } from '@crucible/storage';
import { checkpointSignerPolicy, withArchive, type RunConfig } from '@crucible/protocol';
import { BlockClock } from './blockClock.js';
import { ensureRegistered, publishBucketPointer } from './chainIdentity.js';
import type { MinerConfig } from './config.js';
import { HeldCheckpoints } from './heldCheckpoints.js';
import { createMinerMetrics } from './minerMetrics.js';
import { syncWithChain, type MinerContext } from './minerContext.js';
import { mineWindow, type WindowReport } from './mineWindow.js';
import { prefetchWindow } from './prefetchWindow.js';
import { StateStore } from './stateStore.js';
import { TrainingEngine } from './trainingEngine.js';
import { revealDueKeys, settlePending } from './uploadLifecycle.js';
import { measureBlockTime, withTimeout } from './chainTime.js';

export interface StartMinerOptions {
  logger?: Logger;
  /** Environment holding the coldkey password (CRUCIBLE_COLDKEY_PASSWORD_<WALLET>); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Keys to use instead of the wallet files (tests, crucible-local). */
  hotkey?: Keypair;
  coldkey?: Keypair;
  /** Called after every window the miner processed (uploaded, skipped or failed). */
  onWindow?: (report: WindowReport) => void;
}

export interface MinerHandle {
  readonly hotkey: string;
  readonly uid: number;
  /** `http://host:port/metrics`, when metrics are enabled. */
  readonly metricsUrl: string | undefined;
  /** Resolves when the miner stops (after close(), or on a fatal error, which it rejects with). */
  readonly done: Promise<void>;
  /** Idempotent: stops after the current step, closes the chain, storage, model session and metrics. */
  close(): Promise<void>;
}

/**
 * Starts a miner: wallet, chain, registration, bucket pointer, checkpoints, durable state, then one
 * window after another until close(). Resolves once the miner is running.
 */
export async function startMiner(config: MinerConfig, options: StartMinerOptions = {}): Promise<MinerHandle> {
  const logger = options.logger ?? createLogger({ name: 'crucible-miner', level: config.logging.level });
  const engineOptions = { threads: config.train.threads, resetOptimizer: config.train.resetOptimizer, dataCacheBytes: config.data.cacheMb * 2 ** 20, executionProvider: config.train.executionProvider };
  // Before anything touches the chain: a GPU provider that cannot run here is a configuration error
  // (CrucibleError('EXECUTION_PROVIDER'), details.reason says why), not a failed first window.
  await TrainingEngine.checkProvider(engineOptions.executionProvider);
  const wallet = { path: config.wallet.path, name: config.wallet.name, hotkey: config.wallet.hotkey };
  const hotkey = options.hotkey ?? (await loadHotkey(wallet));
  const log = logger.child({ hotkey: hotkey.address });
  const bucket = ownBucket(config.storage);
  const store = createS3Store(bucket.config, { access: 'write' });
  const peers = new PeerStores({ policy: endpointPolicyFromFlags(config.storage) });
  const resources: Array<() => Promise<void> | void> = [() => store.close(), () => peers.close()];
  const cleanup = async () => {
    for (const close of resources.reverse()) await Promise.resolve(close()).catch(() => undefined);
  };
  try {
    const client = await connectChain({ endpoint: config.chain.endpoint, logger: log });
    resources.push(() => client.close());
    const uid = await ensureRegistered(client, {
      netuid: config.netuid,
      hotkey: hotkey.address,
      register: config.register,
      loadColdkey: async () => options.coldkey ?? (await loadColdkey(wallet, { env: options.env ?? process.env })),
      logger: log,
    });
    if (bucket.createBucket) await store.ensureBucket();
    const genesis = genesisHash(client);
    const state = await StateStore.open(expandHome(config.stateDir), { hotkey: hotkey.address, netuid: config.netuid, genesisHash: genesis });
    const metrics = createMinerMetrics();
    const clock = new BlockClock(config.timing.blockTimeMs || (await measureBlockTime(client)));
    const engine = new TrainingEngine(state, engineOptions, log);
    resources.push(() => engine.close());
    // Issue 18: an archive node, asked only for elections older than the endpoint keeps.
    const archive = config.chain.archiveEndpoint ? await connectChain({ endpoint: config.chain.archiveEndpoint, logger: log }) : undefined;
    if (archive) resources.push(() => archive.close());
    const signerChain = withArchive(chainReader(client), archive ? chainReader(archive) : undefined);
    const checkpoints = new HeldCheckpoints(state, checkpointSignerPolicy(signerChain, config.netuid), log);
    const restored = await checkpoints.restore();
    const ctx: MinerContext = {
      config,
      logger: log,
      hotkey,
      client,
      store,
      peers,
      state,
      checkpoints,
      clock,
      engine,
      metrics,
      genesisHash: genesis,
      pointer: bucket.pointer,
      live: { registered: true, pointerPublished: false, sources: [], ownerHotkey: await subnetOwnerHotkey(client, config.netuid), stopping: false },
    };
    ctx.live.pointerPublished = (await publishBucketPointer(client, { netuid: config.netuid, hotkey, pointer: ctx.pointer, logger: log })) !== 'failed';
    await syncWithChain(ctx);
    const run = checkpoints.head()?.manifest.run;
    if (!run) log.warn('no verified checkpoint yet; waiting for the subnet owner to publish genesis');
    log.info('miner started', {
      uid,
      netuid: config.netuid,
      stateDir: state.dir,
      lastUploadedWindow: state.state.lastUploadedWindow,
      restoredCheckpoints: restored,
      checkpointWindow: checkpoints.head()?.manifest.window ?? null,
      block: await currentBlock(client),
      errorFeedbackHash: await engine.savedErrorFeedbackHash(),
      blockTimeMs: Math.round(clock.blockIntervalMs),
    });

    let metricsServer: MetricsServer | undefined;
    if (config.metrics.enabled) {
      metricsServer = await startMetricsServer(metrics.registry, config.metrics.port, config.metrics.host);
      resources.push(() => metricsServer!.close());
    }

    // Blocks move the clock, wake the loop (all training happens there, one window at a time) and reveal
    // the seal keys that are due, beside training (single-flight).
    let wake: (() => void) | undefined;
    let revealing: Promise<void> | undefined;
    const unsubscribe = await watchBlocks(client, 1, (tick) => {
      clock.observe(tick.block);
      revealing ??= revealDueKeys(ctx).finally(() => (revealing = undefined));
      // A window's first block fixes its pages: fetch them now, beside the previous window's upload.
      const current = checkpoints.head()?.manifest.run;
      if (current && tick.block % current.window.blocksPerWindow === 0) void prefetchWindow(ctx, current, tick.block / current.window.blocksPerWindow);
      wake?.();
    });
    resources.push(() => unsubscribe());
    const nextBlock = () =>
      new Promise<void>((resolve) => {
        wake = () => {
          wake = undefined;
          resolve();
        };
      });

    const settle = (found: RunConfig) =>
      settlePending(ctx, found).catch((error: unknown) => log.error('could not settle the previous run\'s pending upload', { error: describeError(error) }));
    let reported: Promise<void> = Promise.resolve();
    const loop = async () => {
      let lastWindow = -1;
      if (run) await settle(run);
      while (!ctx.live.stopping) {
        await nextBlock();
        if (ctx.live.stopping) break;
        const head = checkpoints.head()?.manifest.run;
        if (!head) {
          await syncWithChain(ctx);
          const found = checkpoints.head()?.manifest.run;
          if (found) await settle(found);
          continue;
        }
        const blocksPerWindow = head.window.blocksPerWindow;
        const window = Math.floor(clock.block / blocksPerWindow);
        if (window <= lastWindow) {
          // Idle until the next window: refresh near its end so the next window starts from fresh state.
          if (clock.block % blocksPerWindow === blocksPerWindow - 1) void syncWithChain(ctx);
          continue;
        }
        lastWindow = window;
        // Resolves once the window's upload is done; its record goes on beside the next window.
        const mined = await mineWindow(ctx, head, window).catch((error: unknown) => {
          log.error('window failed', { window, error: describeError(error) });
          metrics.windows.inc({ outcome: 'failed' });
          const report: WindowReport = { window, outcome: 'failed', reason: String(describeError(error).message) };
          return { report, recorded: Promise.resolve(report) };
        });
        // Reports in window order, each once its record is durable.
        reported = reported
          .then(() => mined.recorded)
          .then((report) => options.onWindow?.(report))
          .catch((error: unknown) => log.warn('onWindow callback failed', { error: describeError(error) }));
      }
    };
    let closing: Promise<void> | undefined;
    const done = loop().finally(async () => {
      // Let a background sync or reveal finish (briefly) before its connections close under it.
      if (ctx.live.syncing) await withTimeout(ctx.live.syncing, 5_000, 'the last sync').catch(() => undefined);
      if (revealing) await withTimeout(revealing, 5_000, 'the last reveal').catch(() => undefined);
      // The last window's record: its commit must not meet a closed state folder or a closed store.
      await withTimeout(reported, 30_000, 'the last window\'s record').catch(() => undefined);
      await cleanup();
    });
    // A fatal error ends the loop; make sure nobody awaiting `done` misses it but don't crash the process.
    done.catch((error: unknown) => log.error('miner stopped', { error: describeError(error) }));
    return {
      hotkey: hotkey.address,
      uid,
      metricsUrl: metricsServer?.url,
      done,
      close: () =>
        (closing ??= (async () => {
          ctx.live.stopping = true;
          wake?.();
          await done.catch(() => undefined);
          log.info('miner stopped');
        })()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

export type { WindowReport };
