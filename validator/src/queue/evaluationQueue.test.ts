import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWallet, cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { initParams, type Corpus } from '@crucible/model';
import { contentHash, ownBucket, type S3Store } from '@crucible/storage';
import type { RunConfig } from '@crucible/protocol';
import { publishGenesis } from '../aggregate/genesis.js';
import { openOwnStore } from '../neuron/bucket.js';
import { services, testStorage, tinyCorpus, tinyRun } from '../testing/fixtures.js';
import { UpdateFactory } from '../testing/simulatedMiner.js';
import { createEvaluationQueue, startEvaluationWorkers } from './evaluationQueue.js';
import { evaluationQueueName } from './queueKeys.js';
import type { EvaluationJob } from './evaluationJob.js';
import { Evaluator } from './evaluator.js';

const seed = ('0x' + '11'.repeat(32)) as `0x${string}`;
const evalSeed = ('0x' + '22'.repeat(32)) as `0x${string}`;
let run: RunConfig;
let corpus: Corpus;
let store: S3Store;
let factory: UpdateFactory;
let miner: Keypair;
let baseHash: string;
let update: Uint8Array;
const storage = () => testStorage('evalq');
let storageOptions: ReturnType<typeof storage>;

beforeAll(async () => {
  await cryptoReady();
  corpus = await tinyCorpus();
  run = tinyRun(1, { trainPages: corpus.trainPageCount });
  storageOptions = storage();
  store = (await openOwnStore(storageOptions)).store;
  const owner = keypairFromUri('//EvalOwner');
  miner = keypairFromUri('//EvalMiner');
  baseHash = (await publishGenesis(store, run, owner, 0)).manifest.paramsHash;
  factory = await UpdateFactory.create(run, corpus);
  const base = { params: initParams(run.model, run.initSeed), paramsHash: baseHash };
  const delta = await factory.train(base, { windowSeed: seed, window: 5, hotkey: miner.address });
  update = factory.encode(delta, { window: 5, base, signer: miner });
});

afterAll(async () => {
  await factory?.close();
  store?.close();
});

function job(overrides: Partial<EvaluationJob> = {}): EvaluationJob {
  const pointer = ownBucket(storageOptions).pointer;
  return {
    window: 5,
    hotkey: miner.address,
    uid: 1,
    update: { contentHash: contentHash(update) as `0x${string}`, bytes: Buffer.from(update).toString('base64') },
    base: { pointer, window: 0, paramsHash: baseHash },
    run,
    windowSeed: seed,
    evaluationSeed: evalSeed,
    reference: null,
    deadline: Date.now() + 120_000,
    peerEndpoints: { allowPrivateEndpoints: true, allowAddresses: [] },
    onnxThreads: 1,
    ...overrides,
  };
}

describe('evaluating one miner', () => {
  it('evaluates exactly the pinned bytes: anything that does not hash to the job\'s content hash is refused', async () => {
    const evaluator = new Evaluator();
    const other = update.slice();
    other[other.length - 1] = other[other.length - 1]! ^ 1;
    await expect(evaluator.evaluate(job({ update: { contentHash: contentHash(update) as `0x${string}`, bytes: Buffer.from(other).toString('base64') } }))).rejects.toThrow(/do not hash/);
    await evaluator.close();
  });

  it('an honest update lowers the loss on its own pages more than on random pages', async () => {
    const evaluator = new Evaluator();
    const r = await evaluator.evaluate(job());
    await evaluator.close();
    expect(r.losses.ownAfter).toBeLessThan(r.losses.ownBefore);
    expect((r.losses.ownBefore - r.losses.ownAfter) / r.losses.ownBefore).toBeGreaterThan((r.losses.randomBefore - r.losses.randomAfter) / r.losses.randomBefore);
    expect(r.randomPages).not.toContain(r.ownPages[0]);
  });

  it('runs through the queue in a sandboxed worker process, and gives the same numbers', async () => {
    const s = services();
    const queueName = `test-eval-${randomBytes(4).toString('hex')}`;
    const c = { redisUrl: s.redisUrl, prefix: 'bull', queueName };
    const queue = createEvaluationQueue(c);
    const workers = await startEvaluationWorkers({ ...c, concurrency: 1, stalledIntervalMs: 1000, lockDurationMs: 5000 });
    try {
      await queue.enqueue([job()], { attempts: 2 });
      const out = await queue.waitFor(5, [miner.address], Date.now() + 90_000);
      const o = out.get(miner.address)!;
      expect(o.status).toBe('done');
      const evaluator = new Evaluator();
      const direct = await evaluator.evaluate(job());
      await evaluator.close();
      if (o.status === 'done') expect(o.result.losses).toEqual(direct.losses);
    } finally {
      await workers.close();
      await queue.close();
    }
  });

  it('a job whose worker process is killed mid-job is retried by another worker and not lost', async () => {
    const s = services();
    const queueName = `test-kill-${randomBytes(4).toString('hex')}`;
    const c = { redisUrl: s.redisUrl, prefix: 'bull', queueName };
    const queue = createEvaluationQueue(c);
    const script = fileURLToPath(new URL('../testing/workerProcess.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.sandbox.json', import.meta.url)),
        CRUCIBLE_TEST_REDIS_URL: s.redisUrl,
        CRUCIBLE_TEST_PREFIX: 'bull',
        CRUCIBLE_TEST_QUEUE: queueName,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let workers: Awaited<ReturnType<typeof startEvaluationWorkers>> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`worker process exited with ${code}`)));
      });
      await queue.enqueue([job()], { attempts: 3 });
      let state = 'unknown';
      for (let i = 0; i < 200 && state !== 'active'; i++) {
        state = await queue.state(5, miner.address);
        if (state !== 'active') await new Promise((r) => setTimeout(r, 50));
      }
      expect(state).toBe('active');
      // The whole process group: the worker and its sandboxed processor child.
      process.kill(-child.pid!, 'SIGKILL');
      workers = await startEvaluationWorkers({ ...c, concurrency: 1, stalledIntervalMs: 1000, lockDurationMs: 3000 });
      const out = await queue.waitFor(5, [miner.address], Date.now() + 90_000);
      expect(out.get(miner.address)?.status).toBe('done');
    } finally {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await workers?.close();
      await queue.close();
    }
  });

  it('`crucible-validator worker` serves the queue named after the validator\'s hotkey and stops cleanly on SIGTERM', async () => {
    const s = services();
    const walletPath = mkdtempSync(join(tmpdir(), 'crucible-worker-wallet-'));
    const wallet = await createWallet({ path: walletPath, name: 'v', hotkey: 'default' });
    const prefix = `cli${randomBytes(3).toString('hex')}`;
    const queue = createEvaluationQueue({ redisUrl: s.redisUrl, prefix, queueName: evaluationQueueName(1, wallet.hotkeyAddress) });
    const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'worker', '--wallet.path', walletPath, '--wallet.name', 'v', '--netuid', '1', '--redis.url', s.redisUrl, '--redis.prefix', prefix, '--workers', '1', '--logging.format', 'json'], {
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.sandbox.json', import.meta.url)) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await queue.enqueue([job()], { attempts: 2 });
      const out = await queue.waitFor(5, [miner.address], Date.now() + 90_000);
      expect(out.get(miner.address)?.status, stderr).toBe('done');
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await queue.close();
    }
  });
});
