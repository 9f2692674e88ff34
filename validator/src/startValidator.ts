import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createLogger,
  cryptoReady,
  describeError,
  windowOf,
  expandHome,
  loadHotkey,
  Registry,
  startMetricsServer,
  type Keypair,
  type Logger,
  type MetricsServer,
} from '@crucible/core';
import { connectChain, currentBlock, jsonFileCommitStore, readNeuronRows, revealDueWeights, submitWeights, subnetOwnerHotkey, timestampAt, type ChainClient } from '@crucible/chain';
import { RunDataHolder, type RunData } from '@crucible/data';
import { GptSession } from '@crucible/model';
import { windowBlocks, withBurnShare, type EarlierUpdate, type RunConfig, type Verdict } from '@crucible/protocol';
import { endpointPolicyFromFlags, PeerStores, pointerFromCommitment, type S3Store } from '@crucible/storage';
import { aggregateWindow, applyRetention } from './aggregate/aggregateWindow.js';
import type { ValidatorConfig } from './config.js';
import { commitBucketPointer, openOwnStore } from './neuron/bucket.js';
import { chainWithSigners, createFollower, syncFollower } from './neuron/follow.js';
import { followStateDir, persistFollower, restoreFollower } from './neuron/followState.js';
import { createValidatorMetrics, type ValidatorMetrics } from './neuron/validatorMetrics.js';
import { createEvaluationQueue, startEvaluationWorkers, type EvaluationQueue, type EvaluationWorkers } from './queue/evaluationQueue.js';
import type { EvaluationDataSettings } from './queue/evaluationData.js';
import { Evaluator } from './queue/evaluator.js';
import { evaluationQueueName } from './queue/queueKeys.js';
import { finalScore, updateRatings, type MinerRecord } from './ratings/minerRatings.js';
import { loadRatings, saveRatings } from './ratings/ratingsStore.js';
import { weightsFromScores } from './ratings/weights.js';
import { BlockObserver } from './window/blockObserver.js';
import { saveCollection } from './window/collectionStore.js';
import { collectWindow, type CollectedWindow, type Miner } from './window/collectWindow.js';
import { maxSealedBytes } from './window/openUploads.js';
import { prepareWindow } from './window/prepareWindow.js';
import { rateWindow } from './window/rateWindow.js';

export interface WindowReport {
  window: number;
  seen: number;
  evaluated: number;
  rejected: Record<string, number>;
  verdicts: Verdict[];
  unfinished: Array<{ hotkey: string; reason: string }>;
  /** SET: set_weights landed; COMMITTED / REVEALED: commit-reveal steps that landed this window. */
  weights: 'SET' | 'COMMITTED' | 'REVEALED' | 'PENDING' | 'RATE_LIMITED' | 'FAILED' | 'NONE' | 'SKIPPED';
  checkpoint?: { window: number; paramsHash: string; validationLoss: number | null };
  /** Seconds from seeing the window's deadline block to the end of its collection (seal keys included). */
  collectSeconds: number | null;
  /** Seconds from the start of rating (after the reveal block) to this report. */
  rateSeconds: number;
}

export interface StartValidatorOptions {
  /** Use this hotkey instead of loading the wallet (tests, crucible-local). */
  hotkey?: Keypair;
  logger?: Logger;
  registry?: Registry;
  /** Called after every rated window. */
  onWindow?: (report: WindowReport) => void;
}

export interface ValidatorHandle {
  readonly hotkey: string;
  readonly metricsUrl: string | undefined;
  ratings(): ReadonlyMap<string, MinerRecord>;
  /** The newest checkpoint this validator holds (verified, or its own). */
  head(): { window: number; paramsHash: string; signer: string } | undefined;
  close(): Promise<void>;
}

/** Where this validator's evaluating processes cache dataset pages: --state-dir/datasets, --data.cache-mb each. */
export function evaluationDataSettings(config: ValidatorConfig): EvaluationDataSettings {
  return { cacheRoot: join(stateDirOf(config), 'datasets'), cacheBytes: config.data.cacheMb * 2 ** 20 };
}

/** Parses the config's state dir (`~` expanded). */
export function stateDirOf(config: ValidatorConfig): string {
  return expandHome(config.stateDir);
}

export async function loadValidatorHotkey(config: ValidatorConfig, options: { hotkey?: Keypair }): Promise<Keypair> {
  await cryptoReady();
  return options.hotkey ?? loadHotkey({ path: expandHome(config.wallet.path), name: config.wallet.name, hotkey: config.wallet.hotkey });
}

/**
 * The validator process. Every window w it rates window w − 1's uploads (rateWindow), updates the
 * OpenSkill ratings (persisted in --state-dir), sets weights every K windows, and — when it is the
 * top-staked permitted validator at the first block of w — aggregates and publishes checkpoint w − 1.
 */
export async function startValidator(config: ValidatorConfig, options: StartValidatorOptions = {}): Promise<ValidatorHandle> {
  const logger = options.logger ?? createLogger({ name: 'validator', level: config.logging.level, ...(config.logging.format === 'auto' ? {} : { format: config.logging.format }) });
  const hotkey = await loadValidatorHotkey(config, options);
  const stateDir = stateDirOf(config);
  const registry = options.registry ?? new Registry();
  const metrics = createValidatorMetrics(registry);
  const abort = new AbortController();
  const resources: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const r of resources.reverse()) await Promise.resolve(r()).catch(() => undefined);
  };
  try {
    const client = await connectChain({ endpoint: config.chain.endpoint, logger });
    resources.push(() => client.close());
    // Issue 18: an archive node, asked only for chain state older than the endpoint keeps.
    const archive = config.chain.archiveEndpoint ? await connectChain({ endpoint: config.chain.archiveEndpoint, logger }) : undefined;
    if (archive) resources.push(() => archive.close());
    const { store, pointer } = await openOwnStore(config.storage);
    resources.push(() => store.close());
    await commitBucketPointer(client, hotkey, config.netuid, pointer, logger);
    let metricsServer: MetricsServer | undefined;
    if (config.metrics.enabled) {
      metricsServer = await startMetricsServer(registry, config.metrics.port, config.metrics.host);
      resources.push(() => metricsServer!.close());
    }
    const queueName = evaluationQueueName(config.netuid, hotkey.address);
    const connection = { redisUrl: config.redis.url, prefix: config.redis.prefix, queueName };
    const queue = createEvaluationQueue(connection);
    resources.push(() => queue.close());
    const data = evaluationDataSettings(config);
    if (config.workers > 0) {
      const workers: EvaluationWorkers = await startEvaluationWorkers({
        ...connection,
        concurrency: config.workers,
        stalledIntervalMs: config.evaluation.stalledIntervalMs,
        lockDurationMs: config.evaluation.lockDurationMs,
        data,
        logger,
      });
      resources.push(() => workers.close());
      await queue.warmUp(config.workers);
    }
    // The control evaluation (one aggregate per window) and the checkpoints' validation loss run in this
    // process, on one RunData (one dataset page cache for the process).
    const runData = new RunDataHolder({ ...data, logger });
    resources.push(() => runData.close());
    const controlEvaluator = new Evaluator({ data: runData });
    resources.push(() => controlEvaluator.close());
    const loop = new ValidatorLoop(config, { client, ...(archive ? { archive } : {}), hotkey, store, queue, metrics, logger, stateDir, signal: abort.signal, controlEvaluator, ...(options.onWindow ? { onWindow: options.onWindow } : {}) });
    await loop.init();
    const done = loop.loop();
    resources.push(async () => {
      abort.abort();
      await done;
    });
    logger.info('validator started', { hotkey: hotkey.address, netuid: config.netuid, queue: queueName, workers: config.workers, metrics: metricsServer?.url, block: await currentBlock(client), checkpointWindow: loop.head()?.window ?? null });
    let closing: Promise<void> | undefined;
    return {
      hotkey: hotkey.address,
      metricsUrl: metricsServer?.url,
      ratings: () => loop.records,
      head: () => loop.head(),
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    abort.abort();
    await closeAll();
    throw error;
  }
}

interface LoopDeps {
  client: ChainClient;
  archive?: ChainClient;
  hotkey: Keypair;
  store: S3Store;
  queue: EvaluationQueue;
  metrics: ValidatorMetrics;
  logger: Logger;
  stateDir: string;
  signal: AbortSignal;
  controlEvaluator: Evaluator;
  onWindow?: (report: WindowReport) => void;
}

/**
 * The validator's window loop. Two things run side by side:
 *   collecting window w   while w is open, its sealed uploads are polled and pinned (collectWindow),
 *                         then their keys fetched until w's reveal block;
 *   rating window w − 1   once this validator has seen w − 1's reveal block, its collection is opened,
 *                         screened, evaluated and scored; ratings, weights and (when elected) the
 *                         checkpoint follow.
 */
class ValidatorLoop {
  records = new Map<string, MinerRecord>();
  private lastRated = -1;
  private lastWeightsWindow = -1;
  private readonly follower;
  private readonly policy;
  private readonly stores: PeerStores;
  private readonly collections = new Map<number, Promise<CollectedWindow>>();
  /** Decoded uploads of recent windows, for copy detection (kept in memory; rebuilt as windows pass). */
  private readonly history = new Map<number, EarlierUpdate[]>();
  private validation: { session: GptSession; data: RunData } | undefined;
  private runConfig: RunConfig | undefined;
  private blocks: BlockObserver | undefined;
  private miners: { at: number; list: Miner[] } | undefined;
  /** Outer momentum of this validator's last aggregation, with the window it was made for. */
  private momentum: { window: number; buffers: Map<string, Float32Array> } | undefined;
  /** Weight extrinsics one at a time: commits and reveals share the salt file in the state folder. */
  private weightsQueue: Promise<unknown> = Promise.resolve();
  private revealQueued = false;

  constructor(
    private readonly config: ValidatorConfig,
    private readonly d: LoopDeps,
  ) {
    this.stores = new PeerStores({ policy: endpointPolicyFromFlags(config.storage), limits: { requestTimeoutMs: config.evaluation.requestTimeoutMs } });
    ({ follower: this.follower, policy: this.policy } = createFollower(d.client, config.netuid, d.logger, 4, d.archive ? { archive: d.archive } : {}));
  }

  head(): { window: number; paramsHash: string; signer: string } | undefined {
    const h = this.follower.head();
    return h ? { window: h.manifest.window, paramsHash: h.manifest.paramsHash, signer: h.signer } : undefined;
  }

  async init(): Promise<void> {
    const saved = await loadRatings(this.d.stateDir);
    this.records = saved.records;
    this.lastRated = saved.lastWindow;
    if (saved.lastWindow >= 0) this.d.logger.info('ratings restored', { lastWindow: saved.lastWindow, miners: saved.records.size });
    // Issue 18: resume following from the links this validator verified before it stopped.
    await restoreFollower(followStateDir(this.d.stateDir), this.follower, this.d.logger);
  }

  /** Waits for genesis, then collects every window and rates each once its reveal block is seen. */
  async loop(): Promise<void> {
    const { signal } = this.d;
    while (!signal.aborted && !this.follower.head()) {
      await this.sync();
      if (!this.follower.head()) await sleep(1000, undefined, { signal }).catch(() => undefined);
    }
    if (signal.aborted) return this.shutdown();
    this.runConfig = this.follower.head()!.manifest.run;
    let wake: (() => void) | undefined;
    this.blocks = await BlockObserver.start(this.d.client, () => {
      wake?.();
      this.revealWeightsIfDue();
    });
    try {
      while (!signal.aborted) {
        const run = this.follower.head()?.manifest.run ?? this.runConfig;
        const best = this.blocks.bestBlock;
        const current = best >= 0 ? windowOf(best, run.window.blocksPerWindow) : -1;
        if (current >= 0 && !this.collections.has(current)) this.collections.set(current, this.collect(run, current));
        const target = current - 1;
        if (target > this.lastRated && target >= 0 && best >= windowBlocks(run, target).revealBlock) {
          if (target > this.lastRated + 1 && this.lastRated >= 0) this.d.logger.warn('windows skipped (validator fell behind)', { from: this.lastRated + 1, to: target - 1 });
          await this.rateOne(run, target);
          for (const w of [...this.collections.keys()]) if (w <= target) this.collections.delete(w);
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        wake = undefined;
      }
    } finally {
      this.blocks.close();
      await this.shutdown();
    }
  }

  private async shutdown(): Promise<void> {
    this.stores.close();
    await this.validation?.session.close();
    this.validation = undefined;
  }

  private async sync(): Promise<void> {
    try {
      const result = await syncFollower(this.d.client, this.config.netuid, this.follower, this.stores);
      if (result.accepted.length > 0) await persistFollower(followStateDir(this.d.stateDir), this.follower, this.d.logger);
    } catch (error) {
      this.d.logger.warn('checkpoint sync failed', { error: describeError(error) });
    }
  }

  /** The subnet's miners (every uid but this validator's) with their committed buckets, at `block`. */
  private async minersAt(block?: number): Promise<Miner[]> {
    const rows = await readNeuronRows(this.d.client, this.config.netuid, block);
    return rows
      .filter((r) => r.hotkey !== this.d.hotkey.address)
      .map((r) => {
        const p = pointerFromCommitment(r.commitment);
        const pointer = p?.kind === 's3' ? p : undefined;
        return { uid: r.uid, hotkey: r.hotkey, pointer, store: pointer ? this.stores.get(pointer) : undefined };
      });
  }

  private collect(run: RunConfig, window: number): Promise<CollectedWindow> {
    const e = this.config.evaluation;
    const collecting = collectWindow({
      window,
      run,
      blocks: this.blocks!,
      miners: async () => {
        // Registrations change rarely: re-read them every few polls, not on every one.
        if (!this.miners || Date.now() - this.miners.at > 5 * e.pollIntervalMs) this.miners = { at: Date.now(), list: await this.minersAt() };
        return this.miners.list;
      },
      deadlineMiners: () => this.minersAt(windowBlocks(run, window).deadlineBlock),
      maxBytes: maxSealedBytes(run),
      pollIntervalMs: e.pollIntervalMs,
      lateGraceMs: e.lateGraceMs,
      budget: { requestMs: e.requestTimeoutMs, minerMs: e.minerBudgetMs, minerBytes: Math.ceil(e.minerBudgetUpdates * maxSealedBytes(run)), concurrency: e.fetchConcurrency },
      signal: this.d.signal,
      logger: this.d.logger,
    }).then(async (collected) => {
      await saveCollection(this.d.stateDir, collected, e.keepCollections).catch((error: unknown) => this.d.logger.warn('could not save the window\'s collection', { window, error: describeError(error) }));
      return collected;
    });
    collecting.catch(() => undefined);
    return collecting;
  }

  private async rateOne(run: RunConfig, window: number): Promise<void> {
    const { logger, metrics } = this.d;
    const started = Date.now();
    try {
      const collecting = this.collections.get(window);
      const collected = collecting ? await collecting : undefined;
      if (!collected?.observed) {
        // Started after this window's deadline: who was on time is unknown, so nobody is judged.
        logger.info('window not watched from before its deadline; not rated', { window });
        this.lastRated = window;
        return;
      }
      await this.sync();
      const ctx = await prepareWindow(this.d.client, {
        netuid: this.config.netuid,
        window,
        run,
        validatorHotkey: this.d.hotkey.address,
        chain: await chainWithSigners(this.follower, this.policy),
        stores: this.stores,
      });
      if (ctx.bases.length === 0) {
        logger.info('no base checkpoint for the window yet; nothing to rate', { window });
        this.lastRated = window;
        return;
      }
      const bpw = run.window.blocksPerWindow;
      const previous = await timestampAt(this.d.client, Math.max(0, ctx.deadlineBlock - bpw));
      const windowMs = Math.max(1000, ctx.deadlineTimestamp - previous);
      const deadline = Math.max(Date.now() + 5000, ctx.deadlineTimestamp + 0.85 * windowMs);
      const history: EarlierUpdate[] = [];
      for (let h = Math.max(0, window - this.config.evaluation.historyWindows); h < window; h++) history.push(...(this.history.get(h) ?? []));
      const rated = await rateWindow(ctx, collected, {
        history,
        onnxThreads: this.config.evaluation.onnxThreads,
        peerEndpoints: { allowPrivateEndpoints: this.config.storage.allowPrivateEndpoints, allowAddresses: this.config.storage.allowAddresses },
        deadline,
        control: (jobs, updates, exclusions) => this.d.controlEvaluator.evaluateControl(jobs, updates, exclusions),
        logger: this.d.logger,
        evaluate: async (jobs) => {
          await this.d.queue.enqueue(jobs, { attempts: this.config.evaluation.jobAttempts });
          return this.d.queue.waitFor(window, jobs.map((j) => j.hotkey), deadline, this.d.signal);
        },
      });
      this.history.set(window, rated.uploads.map((u) => ({ hotkey: u.hotkey, window: u.window, update: u.update })));
      for (const h of [...this.history.keys()]) if (h < window - this.config.evaluation.historyWindows) this.history.delete(h);
      this.records = updateRatings(this.records, window, rated.verdicts);
      this.lastRated = window;
      await saveRatings(this.d.stateDir, { lastWindow: window, records: this.records }, window, rated.verdicts);

      const collectSeconds = collected.deadlineSeenAt !== undefined && collected.finishedAt !== undefined ? (collected.finishedAt - collected.deadlineSeenAt) / 1000 : null;
      if (collectSeconds !== null) metrics.collectSeconds.observe(collectSeconds);
      const report: WindowReport = { window, seen: collected.miners.length, evaluated: 0, rejected: {}, verdicts: rated.verdicts, unfinished: rated.unfinished, weights: 'SKIPPED', collectSeconds, rateSeconds: 0 };
      for (const v of rated.verdicts) {
        if (v.status === 'scored') {
          report.evaluated++;
          metrics.evaluated.inc();
        } else {
          report.rejected[v.reason] = (report.rejected[v.reason] ?? 0) + 1;
          metrics.rejected.inc({ reason: v.reason });
          logger.info('update rejected', { window, uid: v.uid, hotkey: v.hotkey, reason: v.reason, detail: v.detail });
        }
      }
      for (const u of rated.unfinished) logger.warn('evaluation did not finish; miner not rated this window', { window, ...u });

      // With commit-reveal a reveal is due in a later epoch: submit every window, the chain's rules decide what is sent.
      if (window - this.lastWeightsWindow >= this.config.weights.everyWindows || (await this.commitRevealPending())) report.weights = await this.setWeights(run, ctx.hotkeys, window);

      if (this.config.aggregate && ctx.aggregator === this.d.hotkey.address) {
        const cp = await this.aggregate(run, window, rated.verdicts, rated.scoredUploads, rated.reference);
        if (cp) report.checkpoint = cp;
      }
      metrics.window.set(window);
      metrics.minersSeen.set(collected.miners.length);
      report.rateSeconds = (Date.now() - started) / 1000;
      metrics.windowSeconds.observe(report.rateSeconds);
      const scores = Object.fromEntries(rated.verdicts.filter((v) => v.status === 'scored').map((v) => [v.uid, Number(v.score.toFixed(5))]));
      logger.info(`window ${window}: seen ${report.seen}, evaluated ${report.evaluated}, rejected ${JSON.stringify(report.rejected)}, weights ${report.weights}${report.checkpoint ? `, checkpoint ${report.checkpoint.window}` : ''}`, {
        window,
        scores,
        collectSeconds: report.collectSeconds,
        rateSeconds: report.rateSeconds,
      });
      this.d.onWindow?.(report);
    } catch (error) {
      if (this.d.signal.aborted) return;
      logger.error('window failed; continuing with the next', { window, error: describeError(error) });
      this.lastRated = window;
    }
  }

  /** Whether commits are waiting for their reveal (so the next window must call submitWeights). */
  private async commitRevealPending(): Promise<boolean> {
    return (await this.commitStore().load().catch(() => [])).length > 0;
  }

  private commitStore() {
    return jsonFileCommitStore(join(this.d.stateDir, 'weight-commits.json'));
  }

  private weightsOp<T>(op: () => Promise<T>): Promise<T> {
    const next = this.weightsQueue.then(op);
    this.weightsQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * On each block: a commit can only be revealed during its reveal epoch, which may pass between two
   * windows' weight-setting (short tempos, long windows), so reveals do not wait for the next window.
   */
  private revealWeightsIfDue(): void {
    if (this.revealQueued || this.d.signal.aborted) return;
    this.revealQueued = true;
    const { logger, metrics } = this.d;
    void this.weightsOp(() => revealDueWeights(this.d.client, this.d.hotkey, this.config.netuid, { store: this.commitStore() }))
      .then((r) => {
        if (r.revealed > 0) {
          metrics.weightsSet.inc({ status: 'REVEALED' });
          logger.info('weights revealed', { pending: r.pending });
        }
        if (r.expired > 0) logger.warn('weight commits expired before they could be revealed', { expired: r.expired });
      })
      .catch((error: unknown) => logger.warn('revealing weights failed; retrying next block', { error: describeError(error) }))
      .finally(() => (this.revealQueued = false));
  }

  private async setWeights(run: RunConfig, hotkeys: readonly string[], window: number): Promise<WindowReport['weights']> {
    const { logger, metrics } = this.d;
    const finals = hotkeys.map((h, uid) => ({ uid, final: this.records.has(h) ? finalScore(this.records.get(h)!, run.scoring) : 0 }));
    const owner = await subnetOwnerHotkey(this.d.client, this.config.netuid).catch(() => undefined);
    const ownerUid = owner === undefined ? -1 : hotkeys.indexOf(owner);
    const weights = withBurnShare(weightsFromScores(finals, { topN: this.config.weights.topN, power: this.config.weights.power }), ownerUid >= 0 ? ownerUid : undefined, run.scoring.burnShare);
    if (weights.size === 0) {
      logger.info('no miner has a positive final score yet; weights not set', { window });
      return 'NONE';
    }
    try {
      // set_weights, or (commit-reveal on, as on Bittensor) reveal what is due and commit the new weights,
      // with every salt kept in --state-dir until its reveal lands.
      const r = await this.weightsOp(() => submitWeights(this.d.client, this.d.hotkey, this.config.netuid, weights, { store: this.commitStore() }));
      let status: WindowReport['weights'];
      if (r.mode === 'set_weights') status = r.result.status;
      else if (r.revealed.length > 0) status = 'REVEALED';
      else if (r.commit.status === 'COMMITTED') status = 'COMMITTED';
      else if (r.commit.status === 'RATE_LIMITED') status = 'RATE_LIMITED';
      else status = 'PENDING';
      metrics.weightsSet.inc({ status });
      if (status === 'SET' || status === 'COMMITTED' || status === 'REVEALED') this.lastWeightsWindow = window;
      if (r.mode === 'commit_reveal' && r.expired.length > 0) logger.warn('weight commits expired before they could be revealed', { window, expired: r.expired.length });
      logger.info(status === 'RATE_LIMITED' ? 'weights rate-limited; retrying next window' : 'weights submitted', { window, status, weights: Object.fromEntries(weights) });
      return status;
    } catch (error) {
      metrics.weightsSet.inc({ status: 'FAILED' });
      logger.warn('set_weights failed', { window, error: describeError(error) });
      return 'FAILED';
    }
  }

  private async aggregate(run: RunConfig, window: number, verdicts: readonly Verdict[], uploads: Parameters<typeof aggregateWindow>[0]['uploads'], reference: number | null): Promise<WindowReport['checkpoint']> {
    const { logger } = this.d;
    const head = this.follower.head();
    if (!head) return undefined;
    try {
      const data = await this.d.controlEvaluator.runData(run);
      this.validation ??= {
        session: await GptSession.create({ config: run.model, batch: run.evaluation.sequences, threads: this.config.evaluation.onnxThreads, graphs: ['eval'] }),
        data,
      };
      this.validation.data = data;
      // Momentum only carries over when this validator also made the head (no hand-over in between).
      const momentum = this.momentum?.window === head.manifest.window ? this.momentum.buffers : undefined;
      const result = await aggregateWindow({ run, window, head, verdicts, uploads, reference, signer: this.d.hotkey, store: this.d.store, validation: this.validation, ...(momentum ? { momentum } : {}) });
      if (!result) {
        logger.info('nothing to aggregate this window', { window });
        return undefined;
      }
      this.follower.adopt(result.held);
      await persistFollower(followStateDir(this.d.stateDir), this.follower, this.d.logger);
      this.momentum = { window, buffers: result.momentum };
      this.d.metrics.checkpoints.inc();
      const m = result.published.manifest;
      logger.info('checkpoint published', { window, parent: m.parentWindow, paramsHash: m.paramsHash, validationLoss: m.validationLoss, contributors: result.contributors.length });
      const deleted = await applyRetention(this.d.store, window, this.config.retention);
      if (deleted.length) logger.debug('retention deleted objects', { count: deleted.length });
      return { window, paramsHash: m.paramsHash, validationLoss: m.validationLoss };
    } catch (error) {
      logger.error('aggregation failed', { window, error: describeError(error) });
      return undefined;
    }
  }
}

