import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { describeError, type Logger } from '@crucible/core';
import { evaluationDataEnv, type EvaluationDataSettings } from './evaluationData.js';
import { evaluationResultSchema, type EvaluationJob, type EvaluationResult } from './evaluationJob.js';
import { evaluationJobId } from './queueKeys.js';

/**
 * The only module that imports bullmq. A coordinator enqueues one job per miner per window with a
 * deterministic id (enqueueing twice is a no-op and a finished job's result is reused); workers, in
 * this process or in `crucible-validator worker` processes anywhere that reach the same Redis, run the
 * sandboxed processor. A worker that dies mid-job stops renewing its lock; BullMQ's stalled-job check
 * moves the job back to waiting and another worker retries it.
 */
export interface QueueConnection {
  redisUrl: string;
  prefix: string;
  queueName: string;
}

export type JobOutcome = { status: 'done'; result: EvaluationResult } | { status: 'failed'; reason: string } | { status: 'pending' };

export interface EvaluationQueue {
  enqueue(jobs: readonly EvaluationJob[], options: { attempts: number }): Promise<void>;
  /** Polls until every job is finished or failed for good, or `deadline` (ms since epoch) passes. */
  waitFor(window: number, hotkeys: readonly string[], deadline: number, signal?: AbortSignal): Promise<Map<string, JobOutcome>>;
  outcome(window: number, hotkey: string): Promise<JobOutcome>;
  /** Starts the sandboxed processors now rather than at the first real job. */
  warmUp(count: number): Promise<void>;
  /** BullMQ's state of the job ('waiting', 'active', 'completed', ...), or 'unknown'. */
  state(window: number, hotkey: string): Promise<string>;
  close(): Promise<void>;
}

function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

export function createEvaluationQueue(c: QueueConnection): EvaluationQueue {
  const connection = connect(c.redisUrl);
  const queue = new Queue(c.queueName, { connection, prefix: c.prefix });
  const outcome = async (window: number, hotkey: string): Promise<JobOutcome> => {
    const job = await queue.getJob(evaluationJobId(window, hotkey));
    if (!job) return { status: 'failed', reason: 'job vanished' };
    return outcomeOf(job);
  };
  return {
    async enqueue(jobs, options) {
      await queue.addBulk(
        jobs.map((data) => ({
          name: 'evaluate',
          data,
          opts: {
            jobId: evaluationJobId(data.window, data.hotkey),
            attempts: options.attempts,
            backoff: { type: 'fixed', delay: 500 },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 24 * 3600 },
          },
        })),
      );
    },
    outcome,
    async warmUp(count) {
      const stamp = Date.now();
      await queue.addBulk(Array.from({ length: count }, (_, i) => ({ name: 'warmup', data: {}, opts: { jobId: `warmup-${stamp}-${i}`, removeOnComplete: true, removeOnFail: true } })));
    },
    async state(window, hotkey) {
      const job = await queue.getJob(evaluationJobId(window, hotkey));
      return job ? String(await job.getState()) : 'unknown';
    },
    async waitFor(window, hotkeys, deadline, signal) {
      const out = new Map<string, JobOutcome>();
      for (;;) {
        for (const h of hotkeys) if (out.get(h)?.status !== 'done' && out.get(h)?.status !== 'failed') out.set(h, await outcome(window, h));
        const pending = [...out.values()].some((o) => o.status === 'pending');
        if (!pending || Date.now() >= deadline || signal?.aborted) return out;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

async function outcomeOf(job: Job): Promise<JobOutcome> {
  if (job.finishedOn !== undefined && job.returnvalue !== null && job.returnvalue !== undefined) {
    const parsed = evaluationResultSchema.safeParse(job.returnvalue);
    return parsed.success ? { status: 'done', result: parsed.data } : { status: 'failed', reason: 'malformed worker result' };
  }
  const state = await job.getState();
  if (state === 'failed') return { status: 'failed', reason: job.failedReason ?? 'failed' };
  return { status: 'pending' };
}

/** Where the sandboxed processor lives: the built .js next to this file, or the .ts source under tsx. */
function processorFile(): { file: string; execArgv?: string[]; env: NodeJS.ProcessEnv } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return { file: here.replace(/evaluationQueue\.js$/, 'evaluationProcessor.js'), env: {} };
  const tsconfig = fileURLToPath(new URL('../../tsconfig.sandbox.json', import.meta.url));
  return {
    file: here.replace(/evaluationQueue\.ts$/, 'evaluationProcessor.ts'),
    execArgv: ['--import', 'tsx'],
    env: { TSX_TSCONFIG_PATH: existsSync(tsconfig) ? tsconfig : '' },
  };
}

export interface EvaluationWorkers {
  close(): Promise<void>;
}

export interface WorkerOptions extends QueueConnection {
  concurrency: number;
  stalledIntervalMs: number;
  lockDurationMs: number;
  /** Where the sandboxed processes cache dataset pages (each claims its own folder under cacheRoot). */
  data?: EvaluationDataSettings;
  logger?: Logger;
}

export async function startEvaluationWorkers(o: WorkerOptions): Promise<EvaluationWorkers> {
  const connection = connect(o.redisUrl);
  const p = processorFile();
  const worker = new Worker(o.queueName, p.file, {
    connection,
    prefix: o.prefix,
    concurrency: o.concurrency,
    stalledInterval: o.stalledIntervalMs,
    lockDuration: o.lockDurationMs,
    maxStalledCount: 2,
    workerForkOptions: { ...(p.execArgv ? { execArgv: p.execArgv } : {}), env: { ...process.env, ...p.env, ...(o.data ? evaluationDataEnv(o.data) : {}) } },
  });
  worker.on('failed', (job, error) => o.logger?.warn('evaluation job failed', { job: job?.id, attempts: job?.attemptsMade, error: describeError(error) }));
  worker.on('error', (error) => o.logger?.warn('evaluation worker error', { error: describeError(error) }));
  worker.on('completed', (job) => o.logger?.debug('evaluation job done', { job: job.id }));
  await worker.waitUntilReady();
  let closed: Promise<void> | undefined;
  return {
    close: () =>
      (closed ??= (async () => {
        await worker.close();
        connection.disconnect();
      })()),
  };
}
