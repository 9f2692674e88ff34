import { setTimeout as sleep } from 'node:timers/promises';
import {
  createLogger,
  cryptoReady,
  describeError,
  expandHome,
  loadHotkey,
  Registry,
  startMetricsServer,
  type Keypair,
  type Logger,
  type MetricsServer,
} from '@crucible/core';
import { connectChain, currentBlock, setWeights, timestampAt, watchBlocks, type ChainClient } from '@crucible/chain';
import { GptSession, loadCorpus, type Corpus } from '@crucible/model';
import type { RunConfig } from '@crucible/protocol';
import { PeerStores, type S3Store } from '@crucible/storage';
import { aggregateWindow, applyRetention } from './aggregate/aggregateWindow.js';
import type { ValidatorConfig } from './config.js';
import type { UploadForComparison } from './gauntlet/similarity.js';
import type { Verdict } from './gauntlet/verdict.js';
import { commitBucketPointer, openOwnStore } from './neuron/bucket.js';
import { chainWithSigners, createFollower, syncFollower } from './neuron/follow.js';
import { followStateDir, persistFollower, restoreFollower } from './neuron/followState.js';
import { createValidatorMetrics, type ValidatorMetrics } from './neuron/validatorMetrics.js';
import { createEvaluationQueue, startEvaluationWorkers, type EvaluationQueue, type EvaluationWorkers } from './queue/evaluationQueue.js';
import { Evaluator } from './queue/evaluator.js';
import { evaluationQueueName } from './queue/queueKeys.js';
import { finalScore, updateRatings, type MinerRecord } from './ratings/minerRatings.js';
import { loadRatings, saveRatings } from './ratings/ratingsStore.js';
import { weightsFromScores } from './ratings/weights.js';
import { prepareWindow } from './window/prepareWindow.js';
import { historyOf, rateWindow } from './window/rateWindow.js';

export interface WindowReport {
  window: number;
  seen: number;
  evaluated: number;
  rejected: Record<string, number>;
  verdicts: Verdict[];
  unfinished: Array<{ hotkey: string; reason: string }>;
  weights: 'SET' | 'RATE_LIMITED' | 'FAILED' | 'NONE' | 'SKIPPED';
  checkpoint?: { window: number; paramsHash: string; validationLoss: number | null };
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
    if (config.workers > 0) {
      const workers: EvaluationWorkers = await startEvaluationWorkers({
        ...connection,
        concurrency: config.workers,
        stalledIntervalMs: config.evaluation.stalledIntervalMs,
        lockDurationMs: config.evaluation.lockDurationMs,
        logger,
      });
      resources.push(() => workers.close());
      await queue.warmUp(config.workers);
    }
    // The control evaluation (one aggregate per window) runs in this process; see Evaluator.evaluateControl.
    const controlEvaluator = new Evaluator();
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

class ValidatorLoop {
  records = new Map<string, MinerRecord>();
  private lastRated = -1;
  private lastWeightsWindow = -1;
  private readonly follower;
  private readonly policy;
  private readonly stores = new PeerStores();
  private readonly history = new Map<number, UploadForComparison[]>();
  private validation: { session: GptSession; corpus: Corpus } | undefined;
  private runConfig: RunConfig | undefined;
  /** Outer momentum of this validator's last aggregation, with the window it was made for. */
  private momentum: { window: number; buffers: Map<string, Float32Array> } | undefined;

  constructor(
    private readonly config: ValidatorConfig,
    private readonly d: LoopDeps,
  ) {
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

  /** Waits for genesis, then rates one window per window change until aborted. */
  async loop(): Promise<void> {
    const { logger, signal } = this.d;
    while (!signal.aborted && !this.follower.head()) {
      await this.sync();
      if (!this.follower.head()) await sleep(1000, undefined, { signal }).catch(() => undefined);
    }
    if (signal.aborted) return this.shutdown();
    this.runConfig = this.follower.head()!.manifest.run;
    const bpw = this.runConfig.window.blocksPerWindow;
    let latestWindow = -1;
    let wake: (() => void) | undefined;
    const unsubscribe = await watchBlocks(this.d.client, bpw, (tick) => {
      if (tick.windowChanged) {
        latestWindow = tick.window;
        wake?.();
      }
    });
    try {
      while (!signal.aborted) {
        const target = latestWindow - 1;
        if (target > this.lastRated && target >= 0) {
          if (target > this.lastRated + 1 && this.lastRated >= 0) logger.warn('windows skipped (validator fell behind)', { from: this.lastRated + 1, to: target - 1 });
          await this.rateOne(target);
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
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

  private async rateOne(window: number): Promise<void> {
    const { logger, metrics } = this.d;
    const started = Date.now();
    try {
      await this.sync();
      const run = this.follower.head()?.manifest.run ?? this.runConfig!;
      const ctx = await prepareWindow(this.d.client, {
        netuid: this.config.netuid,
        window,
        run,
        validatorHotkey: this.d.hotkey.address,
        lateGraceMs: this.config.evaluation.lateGraceMs,
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
      const rated = await rateWindow(ctx, {
        history: async (h) => {
          let entries = this.history.get(h);
          if (!entries) this.history.set(h, (entries = await historyOf(ctx, h)));
          return entries;
        },
        historyWindows: this.config.evaluation.historyWindows,
        onnxThreads: this.config.evaluation.onnxThreads,
        deadline,
        control: (jobs, updates) => this.d.controlEvaluator.evaluateControl(jobs, updates),
        logger: this.d.logger,
        evaluate: async (jobs) => {
          await this.d.queue.enqueue(jobs, { attempts: this.config.evaluation.jobAttempts });
          return this.d.queue.waitFor(window, jobs.map((j) => j.hotkey), deadline, this.d.signal);
        },
      });
      for (const h of [...this.history.keys()]) if (h < window - this.config.evaluation.historyWindows) this.history.delete(h);
      this.records = updateRatings(this.records, window, rated.verdicts);
      this.lastRated = window;
      await saveRatings(this.d.stateDir, { lastWindow: window, records: this.records }, window, rated.verdicts);

      const report: WindowReport = { window, seen: ctx.miners.length, evaluated: 0, rejected: {}, verdicts: rated.verdicts, unfinished: rated.unfinished, weights: 'SKIPPED' };
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

      if (window - this.lastWeightsWindow >= this.config.weights.everyWindows) report.weights = await this.setWeights(ctx.hotkeys, window);

      if (this.config.aggregate && ctx.aggregator === this.d.hotkey.address) {
        const cp = await this.aggregate(run, window, rated.verdicts, rated.scoredUploads);
        if (cp) report.checkpoint = cp;
      }
      metrics.window.set(window);
      metrics.minersSeen.set(ctx.miners.length);
      metrics.windowSeconds.observe((Date.now() - started) / 1000);
      const scores = Object.fromEntries(rated.verdicts.filter((v) => v.status === 'scored').map((v) => [v.uid, Number(v.score.toFixed(5))]));
      logger.info(`window ${window}: seen ${report.seen}, evaluated ${report.evaluated}, rejected ${JSON.stringify(report.rejected)}, weights ${report.weights}${report.checkpoint ? `, checkpoint ${report.checkpoint.window}` : ''}`, {
        window,
        scores,
      });
      this.d.onWindow?.(report);
    } catch (error) {
      if (this.d.signal.aborted) return;
      logger.error('window failed; continuing with the next', { window, error: describeError(error) });
      this.lastRated = window;
    }
  }

  private async setWeights(hotkeys: readonly string[], window: number): Promise<WindowReport['weights']> {
    const { logger, metrics } = this.d;
    const finals = hotkeys.map((h, uid) => ({ uid, final: this.records.has(h) ? finalScore(this.records.get(h)!) : 0 }));
    const weights = weightsFromScores(finals, { topN: this.config.weights.topN, power: this.config.weights.power });
    if (weights.size === 0) {
      logger.info('no miner has a positive final score yet; weights not set', { window });
      return 'NONE';
    }
    try {
      const r = await setWeights(this.d.client, this.d.hotkey, this.config.netuid, weights);
      metrics.weightsSet.inc({ status: r.status });
      if (r.status === 'SET') {
        this.lastWeightsWindow = window;
        logger.info('weights set', { window, weights: Object.fromEntries(weights) });
      } else logger.info('weights rate-limited; retrying next window', { window, nextBlock: r.nextBlock });
      return r.status;
    } catch (error) {
      metrics.weightsSet.inc({ status: 'FAILED' });
      logger.warn('set_weights failed', { window, error: describeError(error) });
      return 'FAILED';
    }
  }

  private async aggregate(run: RunConfig, window: number, verdicts: readonly Verdict[], uploads: Parameters<typeof aggregateWindow>[0]['uploads']): Promise<WindowReport['checkpoint']> {
    const { logger } = this.d;
    const head = this.follower.head();
    if (!head) return undefined;
    try {
      this.validation ??= {
        session: await GptSession.create({ config: run.model, batch: run.evaluation.sequences, threads: this.config.evaluation.onnxThreads, graphs: ['eval'] }),
        corpus: await loadCorpus(run.corpus.source, { pageSize: run.corpus.pageSize, valEvery: run.corpus.valEvery }),
      };
      // Momentum only carries over when this validator also made the head (no hand-over in between).
      const momentum = this.momentum?.window === head.manifest.window ? this.momentum.buffers : undefined;
      const result = await aggregateWindow({ run, window, head, verdicts, uploads, signer: this.d.hotkey, store: this.d.store, validation: this.validation, ...(momentum ? { momentum } : {}) });
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

