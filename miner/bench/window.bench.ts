/**
 * Time per miner window for the tiny model, split into the phases of its critical path — sync (window
 * seed, base, plan), train (the inner AdamW steps on the WindowTrainer), then beside each other the seed
 * block's finality (finality_wait_s: the protocol's wait) and encode (error feedback + SparseLoCo +
 * signing + sealing), then the durable state commit and the upload (PUT to the S3 server) — and the record
 * that runs beside the next window (the outcome's commit and the fsyncs), against a real devnet, S3 server
 * and genesis checkpoint. overhead_fraction is the miner's own non-training share of the critical path
 * (encoding counted where it outlasts the finality wait); overhead_fraction_with_finality_wait counts the
 * wait too. The first uploaded window (session build, corpus load) is reported but left out of the means.
 *
 *   npm run bench -w miner            (env BENCH_WINDOWS, BENCH_STEPS, BENCH_BLOCK_MS, BENCH_THREADS, BENCH_S3_DIR to change the run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@crucible/core';
import { freePort, startDevnetProcess, startS3Server } from '@crucible/deploy';
import { startMiner } from '../src/startMiner.js';
import type { WindowReport } from '../src/mineWindow.js';
import { startSubnetFixture } from '../src/testing/subnetFixture.js';

const windows = Number(process.env.BENCH_WINDOWS ?? 10);
const steps = Number(process.env.BENCH_STEPS ?? 15);
const blockMs = Number(process.env.BENCH_BLOCK_MS ?? 1000);

const dir = mkdtempSync(join(tmpdir(), 'crucible-miner-bench-'));
const s3Dir = process.env.BENCH_S3_DIR ? mkdtempSync(join(process.env.BENCH_S3_DIR, 'crucible-bench-s3-')) : dir;
const server = await startS3Server({ dir: s3Dir });
// The chain runs as its own process, as it does for a real miner: an in-process devnet would produce its
// blocks on the miner's event loop and show up in the miner's sync and upload times. It keeps its blocks in
// memory: a real miner's chain node is elsewhere, and a block log fsync'd every block on this disk stalls
// the S3 server's and the miner's own writes.
const chain = await startDevnetProcess({ dir, port: await freePort(), blockTimeMs: blockMs, detached: false, inMemory: true });
const s3 = { endpoint: server.endpoint, region: server.region, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
const subnet = await startSubnetFixture({
  s3,
  chainEndpoint: chain.endpoint,
  run: { window: { blocksPerWindow: 10, pagesPerMiner: 2 }, inner: { steps, batchSize: 8, learningRate: 3e-3, weightDecay: 0.1, gradClip: 1 } },
});
const { hotkey } = await subnet.newMiner('bench');
const reports: WindowReport[] = [];
let done!: () => void;
const finished = new Promise<void>((r) => (done = r));
const miner = await startMiner(subnet.minerConfig({ stateDir: join(dir, 'state'), bucket: 'miner-bench', train: { threads: Number(process.env.BENCH_THREADS ?? 2) } }), {
  hotkey,
  logger: createLogger({ name: 'bench', level: 'warn', format: 'json' }),
  onWindow: (r) => {
    if (r.outcome !== 'uploaded') return;
    reports.push(r);
    const s = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
    console.log(
      `window ${r.window}: sync ${s(r.syncMs)} s, train ${s(r.trainMs)} s (${r.steps} steps in ${r.runs} run(s), ${Math.round(r.tokensPerSecond ?? 0)} tok/s), finality ${s(r.confirmMs)} s beside encode ${s(r.encodeMs)} s, commit ${s(r.persistMs)} s, upload ${s(r.uploadMs)} s; beside the next window: record ${s(r.recordMs)} s (fsync ${s(r.flushMs)} s); ${r.bytes} bytes${reports.length === 1 ? '  (warm-up, not averaged)' : ''}`,
    );
    if (reports.length > windows) done();
  },
});
await finished;
await miner.close();
await subnet.close();
await chain.process.stop();
await server.close();
rmSync(dir, { recursive: true, force: true });

const measured = reports.slice(1);
const phases = ['sync', 'train', 'confirm', 'encode', 'persist', 'upload', 'record', 'flush'] as const;
type Phase = (typeof phases)[number];
const ms = (r: WindowReport, p: Phase) => r[`${p}Ms`] ?? 0;
const mean = Object.fromEntries(phases.map((p) => [p, measured.reduce((a, r) => a + ms(r, p), 0) / measured.length / 1000])) as Record<Phase, number>;
// Medians show the miner's own cost; the means (the JSON line) also carry this machine's garbage-collection
// pauses and disk stalls, which land on whichever phase is running.
const median = Object.fromEntries(
  phases.map((p) => {
    const xs = measured.map((r) => ms(r, p)).sort((a, b) => a - b);
    return [p, xs[Math.floor(xs.length / 2)]! / 1000];
  }),
) as Record<Phase, number>;
// The critical path: sync, train, then encoding beside the seed block's finality (the protocol's wait, not
// the miner's work), the commit and the upload; the record runs beside the next window. The miner's own
// non-training share counts encoding only where it outlasts the finality wait.
const exposed = (x: Record<Phase, number>) => x.sync + Math.max(0, x.encode - x.confirm) + x.persist + x.upload;
const overheadOf = (x: Record<Phase, number>) => exposed(x) / (exposed(x) + x.train);
const withWaitOf = (x: Record<Phase, number>) => {
  const other = x.sync + Math.max(x.confirm, x.encode) + x.persist + x.upload;
  return other / (other + x.train);
};
const line = (x: Record<Phase, number>) =>
  `sync ${x.sync.toFixed(3)} s, train ${x.train.toFixed(3)} s, then beside each other finality ${x.confirm.toFixed(3)} s and encode ${x.encode.toFixed(3)} s, commit ${x.persist.toFixed(3)} s, upload ${x.upload.toFixed(3)} s; ` +
  `the miner's own non-training share ${(overheadOf(x) * 100).toFixed(1)} % (${(withWaitOf(x) * 100).toFixed(1)} % with the finality wait)`;
console.log(`tiny model, ${steps} inner steps × batch 8, ${measured.length} windows averaged; load average ${loadavg()[0]!.toFixed(1)} on 2 cores`);
console.log(`mean per window:   ${line(mean)}`);
console.log(`median per window: ${line(median)}`);
console.log(`beside the next window (off the critical path): record ${mean.record.toFixed(3)} s, of it state fsync ${mean.flush.toFixed(3)} s`);
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
console.log(
  JSON.stringify({
    bench: 'miner-window',
    sync_s: r4(mean.sync),
    train_s: r4(mean.train),
    finality_wait_s: r4(mean.confirm),
    encode_s: r4(mean.encode),
    commit_s: r4(mean.persist),
    upload_s: r4(mean.upload),
    record_s: r4(mean.record),
    overhead_fraction: r4(overheadOf(mean)),
    overhead_fraction_median: r4(overheadOf(median)),
    overhead_fraction_with_finality_wait: r4(withWaitOf(mean)),
  }),
);
process.exit(0);
