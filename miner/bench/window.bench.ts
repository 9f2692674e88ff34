/**
 * Time per miner window for the tiny model, split into sync (metagraph, checkpoints, window seed),
 * train (the inner AdamW steps), encode (error feedback + SparseLoCo + signing + the durable state
 * commit) and upload (PUT to the S3 server), against a real devnet, S3 server and genesis checkpoint.
 * The first uploaded window (session build, corpus load) is reported but left out of the means.
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
    console.log(`window ${r.window}: sync ${s(r.syncMs)} s, train ${s(r.trainMs)} s (${r.steps} steps, ${Math.round(r.tokensPerSecond ?? 0)} tok/s), encode ${s(r.encodeMs)} s (state commit ${s(r.persistMs)} s), upload ${s(r.uploadMs)} s, state fsync ${s(r.flushMs)} s, ${r.bytes} bytes${reports.length === 1 ? '  (warm-up, not averaged)' : ''}`);
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
const mean = (pick: (r: WindowReport) => number | undefined) => measured.reduce((a, r) => a + (pick(r) ?? 0), 0) / measured.length / 1000;
const sync = mean((r) => r.syncMs);
const train = mean((r) => r.trainMs);
const encode = mean((r) => r.encodeMs);
const upload = mean((r) => r.uploadMs);
const flush = mean((r) => r.flushMs);
// Medians show the miner's own cost; the means (the JSON line) also carry this machine's garbage-collection
// pauses and disk stalls, which land on whichever phase is running.
const median = (pick: (r: WindowReport) => number | undefined) => {
  const xs = measured.map((r) => pick(r) ?? 0).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]! / 1000;
};
const med = { sync: median((r) => r.syncMs), train: median((r) => r.trainMs), encode: median((r) => r.encodeMs), upload: median((r) => r.uploadMs) };
const medOverhead = (med.sync + med.encode + med.upload) / (med.sync + med.train + med.encode + med.upload);
const overhead = (sync + encode + upload) / (sync + train + encode + upload);
const withFlush = (sync + encode + upload + flush) / (sync + train + encode + upload + flush);
console.log(`tiny model, ${steps} inner steps × batch 8, ${measured.length} windows averaged; load average ${loadavg()[0]!.toFixed(1)} on 2 cores`);
console.log(`mean per window: sync ${sync.toFixed(3)} s, train ${train.toFixed(3)} s, encode ${encode.toFixed(3)} s, upload ${upload.toFixed(3)} s; not training: ${(overhead * 100).toFixed(1)} %`);
// The state's fsyncs (against power loss; a killed process already finds the committed state) run after
// the upload, while the miner waits for the next window: shown, and counted in the second figure.
console.log(`median per window: sync ${med.sync.toFixed(3)} s, train ${med.train.toFixed(3)} s, encode ${med.encode.toFixed(3)} s, upload ${med.upload.toFixed(3)} s; not training: ${(medOverhead * 100).toFixed(1)} %`);
console.log(`state fsync after the upload ${flush.toFixed(3)} s; not training counting it too: ${(withFlush * 100).toFixed(1)} %`);
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
console.log(JSON.stringify({ bench: 'miner-window', sync_s: r4(sync), train_s: r4(train), encode_s: r4(encode), upload_s: r4(upload), overhead_fraction: r4(overhead) }));
process.exit(0);
