import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { RunDataHolder, type PinnedDataset } from '@crucible/data';
import { initParams, type Corpus } from '@crucible/model';
import type { RunConfig } from '@crucible/protocol';
import { contentHash, createS3Store, datasetShardKey, ownBucket, type S3Store } from '@crucible/storage';
import { publishGenesis } from '../aggregate/genesis.js';
import { openOwnStore } from '../neuron/bucket.js';
import { services, testStorage, tinyCorpus, tinyDataset, tinyRun } from '../testing/fixtures.js';
import { UpdateFactory } from '../testing/simulatedMiner.js';
import { createEvaluationQueue, startEvaluationWorkers } from './evaluationQueue.js';
import type { EvaluationJob } from './evaluationJob.js';
import { Evaluator } from './evaluator.js';

/**
 * Evaluation on a run that names a published dataset: the Evaluator reads the pages it evaluates on
 * from the dataset (ranged, verified, cached in its process's folder) instead of loading a corpus. The
 * dataset is the corpus's text published, so every loss must equal the corpus run's exactly.
 */
const seed = `0x${'31'.repeat(32)}` as const;
const evalSeed = `0x${'42'.repeat(32)}` as const;
let corpusRun: RunConfig;
let datasetRun: RunConfig;
let corpus: Corpus;
let dataset: PinnedDataset;
let store: S3Store;
let factory: UpdateFactory;
let miner: Keypair;
let baseHash: string;
let update: Uint8Array;
let work: string;
let storageOptions: ReturnType<typeof testStorage>;

beforeAll(async () => {
  await cryptoReady();
  work = await mkdtemp(join(tmpdir(), 'crucible-eval-dataset-'));
  corpus = await tinyCorpus();
  storageOptions = testStorage('evalds');
  store = (await openOwnStore(storageOptions)).store;
  dataset = await tinyDataset(storageOptions);
  corpusRun = tinyRun(1, { trainPages: corpus.trainPageCount });
  datasetRun = tinyRun(1, { dataset });
  miner = keypairFromUri('//EvalDatasetMiner');
  baseHash = (await publishGenesis(store, datasetRun, keypairFromUri('//EvalDatasetOwner'), 0)).manifest.paramsHash;
  factory = await UpdateFactory.create(corpusRun, corpus);
  const base = { params: initParams(datasetRun.model, datasetRun.initSeed), paramsHash: baseHash };
  update = factory.encode(await factory.train(base, { windowSeed: seed, window: 5, hotkey: miner.address }), { window: 5, base, signer: miner });
});

afterAll(async () => {
  await factory?.close();
  store?.close();
  await rm(work, { recursive: true, force: true });
});

function job(run: RunConfig): EvaluationJob {
  return {
    window: 5,
    hotkey: miner.address,
    uid: 1,
    update: { contentHash: contentHash(update) as `0x${string}`, bytes: Buffer.from(update).toString('base64') },
    base: { pointer: ownBucket(storageOptions).pointer, window: 0, paramsHash: baseHash },
    run,
    windowSeed: seed,
    evaluationSeed: evalSeed,
    reference: null,
    deadline: Date.now() + 120_000,
    peerEndpoints: { allowPrivateEndpoints: true, allowAddresses: [] },
    onnxThreads: 1,
  };
}

describe('evaluating an update of a run on a published dataset', () => {
  it('pins the dataset in the run configuration, with the corpus\'s page count and a byte vocabulary', () => {
    expect(datasetRun.dataset).toEqual(dataset.ref);
    expect(datasetRun.corpus).toEqual({ source: 'dataset:sotu-tiny', pageSize: 256, valEvery: 20, trainPages: corpus.trainPageCount });
    expect(datasetRun.model).toEqual(corpusRun.model);
  });

  it('gives exactly the corpus run\'s losses, reading only the evaluated pages into its cache', async () => {
    const onCorpus = new Evaluator();
    const expected = await onCorpus.evaluate(job(corpusRun));
    await onCorpus.close();
    const data = new RunDataHolder({ cacheRoot: join(work, 'direct') });
    const evaluator = new Evaluator({ data });
    try {
      const got = await evaluator.evaluate(job(datasetRun));
      expect(got).toEqual(expected);
      const read = await data.get(datasetRun);
      // Own pages and random pages, and the index of each shard they are in: never the dataset.
      const pages = datasetRun.window.pagesPerMiner + datasetRun.evaluation.randomPages;
      expect(read.cacheUse().entries).toBeLessThanOrEqual(2 * pages);
      expect(read.cacheUse().bytes).toBeLessThan(dataset.manifest.shards.reduce((n, sh) => n + sh.bytes, 0) / 10);
    } finally {
      await evaluator.close();
      await data.close();
    }
  });

  it('runs in a sandboxed worker that caches pages under the root it was given', async () => {
    const s = services();
    const c = { redisUrl: s.redisUrl, prefix: 'bull', queueName: `test-evalds-${randomBytes(4).toString('hex')}` };
    const queue = createEvaluationQueue(c);
    const cacheRoot = join(work, 'workers');
    const workers = await startEvaluationWorkers({ ...c, concurrency: 1, stalledIntervalMs: 1000, lockDurationMs: 5000, data: { cacheRoot, cacheBytes: 1 << 20 } });
    try {
      await queue.enqueue([job(datasetRun)], { attempts: 1 });
      const o = (await queue.waitFor(5, [miner.address], Date.now() + 90_000)).get(miner.address)!;
      expect(o.status).toBe('done');
      const direct = new Evaluator();
      const expected = await direct.evaluate(job(corpusRun));
      await direct.close();
      if (o.status === 'done') expect(o.result.losses).toEqual(expected.losses);
      expect(await readdir(cacheRoot)).toContain('slot-0');
    } finally {
      await workers.close();
      await queue.close();
    }
  });

  it('fails the job with a clear error when a shard it needs is missing, after retrying; nothing else is read instead', async () => {
    const own = ownBucket(storageOptions);
    const writer = createS3Store(own.config, { access: 'write' });
    const evaluator = new Evaluator({ data: new RunDataHolder({ cacheRoot: join(work, 'missing'), deadlineMs: 1500 }) });
    try {
      const shards = dataset.manifest.shards.map((_, i) => datasetShardKey('sotu-tiny', i));
      await writer.delete(shards);
      await expect(evaluator.evaluate(job(datasetRun))).rejects.toThrow(expect.objectContaining({ code: 'STORAGE_NOT_FOUND', message: expect.stringMatching(/dataset sotu-tiny: .*shard \d+/) }));
    } finally {
      await evaluator.close();
      writer.close();
    }
  });
});
