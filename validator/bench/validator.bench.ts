/**
 * Miners evaluated per minute with 1 and 2 evaluation workers (sandboxed processes, BullMQ on a real
 * Redis, updates and the base checkpoint on a real S3 server), tiny preset with the genesis defaults.
 * Prints figures, then one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { keypairFromUri } from '@crucible/core';
import { gradientKey, ownBucket } from '@crucible/storage';
import { genesisRunConfig, publishGenesis } from '../src/aggregate/genesis.js';
import { openOwnStore } from '../src/neuron/bucket.js';
import type { EvaluationJob } from '../src/queue/evaluationJob.js';
import { createEvaluationQueue, startEvaluationWorkers } from '../src/queue/evaluationQueue.js';
import { benchServices, minerKeys, noiseUpdate } from './benchSupport.js';

const MINERS = Number(process.env['CRUCIBLE_BENCH_MINERS'] ?? 96);
const services = await benchServices();
try {
  const run = await genesisRunConfig({ netuid: 1, preset: 'tiny' });
  const storage = services.storage(`bench-${randomBytes(4).toString('hex')}`);
  const { store } = await openOwnStore(storage);
  const genesis = await publishGenesis(store, run, keypairFromUri('//BenchOwner'), 0);
  const pointer = ownBucket(storage).pointer;
  const keys = minerKeys(MINERS);
  const window = 7;
  for (const [i, k] of keys.entries()) await store.put(gradientKey(window, k.address), noiseUpdate(run, window, genesis.manifest.paramsHash, k, `bench/${i}`));
  const job = (hotkey: string): EvaluationJob => ({
    window,
    hotkey,
    uid: 0,
    gradient: { pointer, key: gradientKey(window, hotkey), maxBytes: 64 * 1024 * 1024 },
    base: { pointer, window: 0, paramsHash: genesis.manifest.paramsHash },
    run,
    windowSeed: `0x${'ab'.repeat(32)}`,
    evaluationSeed: `0x${'cd'.repeat(32)}`,
    clipNorm: null,
    deadline: Date.now() + 3600_000,
    onnxThreads: 1,
  });

  const measure = async (workers: number): Promise<number> => {
    const c = { redisUrl: services.redisUrl, prefix: 'bench', queueName: `bench-${workers}-${randomBytes(3).toString('hex')}` };
    const queue = createEvaluationQueue(c);
    const pool = await startEvaluationWorkers({ ...c, concurrency: workers, stalledIntervalMs: 5000, lockDurationMs: 30000 });
    try {
      // Warm-up: start every sandboxed process and load the base checkpoint once in each.
      const warm = keys.slice(0, workers * 2).map((k) => ({ ...job(k.address), window }));
      await queue.enqueue(warm.map((j) => ({ ...j, window: 1000 + workers })), { attempts: 1 });
      await queue.waitFor(1000 + workers, warm.map((j) => j.hotkey), Date.now() + 300_000);
      const jobs = keys.map((k) => job(k.address));
      const t0 = performance.now();
      await queue.enqueue(jobs, { attempts: 1 });
      const out = await queue.waitFor(window, jobs.map((j) => j.hotkey), Date.now() + 900_000);
      const s = (performance.now() - t0) / 1000;
      const done = [...out.values()].filter((o) => o.status === 'done').length;
      console.log(`workers=${workers}: ${done}/${MINERS} miners evaluated in ${s.toFixed(2)} s → ${((done / s) * 60).toFixed(1)} miners/min`);
      await queue.close();
      return (done / s) * 60;
    } finally {
      await pool.close();
    }
  };
  console.log(`model tiny (${run.model.nLayer}×${run.model.nEmbd}), ${run.evaluation.sequences} sequences × ${run.model.blockSize} per batch, 4 forward passes per miner; 2 cores shared with other jobs`);
  const m1 = await measure(1);
  const m2 = await measure(2);
  store.close();
  const eff = m2 / (2 * m1);
  console.log(`scaling efficiency (2 workers vs 2 × 1 worker): ${(eff * 100).toFixed(0)}%`);
  console.log(JSON.stringify({ bench: 'validator', miners_per_min_1: Number(m1.toFixed(1)), miners_per_min_2: Number(m2.toFixed(1)), scaling_efficiency: Number(eff.toFixed(3)) }));
} finally {
  await services.close();
}
