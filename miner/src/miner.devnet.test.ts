import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createLogger, keypairFromUri } from '@crucible/core';
import { currentBlock, getMetagraph, sudoSetHyperparameters } from '@crucible/chain';
import { createErrorFeedback, decodeGradient, encodeGradient, sparseLoCoStep } from '@crucible/codec';
import { initParams, paramTable } from '@crucible/model';
import { openSealed, publishCheckpoint, sealUpdate } from '@crucible/protocol';
import { createS3Store, sealedUpdateKey, sealKeyKey, type S3Store } from '@crucible/storage';
import { startS3Server } from '@crucible/deploy';
import { startMiner } from './startMiner.js';
import { StateStore } from './stateStore.js';
import { encodeErrorFeedback } from './errorFeedbackFile.js';
import { reportsUntil } from './testing/reportsUntil.js';
import { startSubnetFixture, type SubnetFixture } from './testing/subnetFixture.js';

// The one S3 server of the test run (test/setup/services.global.ts); each test uses buckets of its own.
const services = inject('services' as never) as { s3Endpoint: string; s3Region: string; s3AccessKeyId: string; s3SecretAccessKey: string };
const s3 = { endpoint: services.s3Endpoint, region: services.s3Region, accessKeyId: services.s3AccessKeyId, secretAccessKey: services.s3SecretAccessKey };
let subnet: SubnetFixture;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'crucible-miner-test-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  subnet = await startSubnetFixture({ s3, blockTimeMs: 500 });
});
afterAll(async () => {
  await subnet?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// MINER_TEST_LOG=1 shows the miner's log lines.
const quiet = () =>
  createLogger({ name: 'miner-test', level: process.env.MINER_TEST_LOG ? 'debug' : 'warn', format: 'json', write: process.env.MINER_TEST_LOG ? (l) => process.stderr.write(l + '\n') : () => {} });

describe('a registered miner on a devnet with a published genesis checkpoint', () => {
  it('uploads one valid, signed, decodable update per window from the genesis base, training its loss down within each window, and refuses a forged checkpoint', async () => {
    const { hotkey } = await subnet.newMiner('steady');
    // A forged checkpoint in the owner's bucket, extending genesis but signed by someone else. This subnet
    // has no validator, so nobody is elected to sign any checkpoint after genesis (the owner's hotkey
    // signs genesis only): the follower never even reads it (nothing to refuse), and the miner keeps
    // training from genesis. (Refusals of forgeries that are read: checkpointFollower.test.ts.)
    const forger = keypairFromUri('//MinerTest//forger');
    const forgedParams = initParams(subnet.run.model, 99);
    await publishCheckpoint(
      subnet.ownerStore,
      { config: subnet.run.model, params: forgedParams, metadata: {} },
      { netuid: subnet.netuid, window: subnet.genesis.window + 1, parentHash: subnet.genesis.paramsHash, parentWindow: subnet.genesis.window, contributors: [], validationLoss: null, run: subnet.run },
      forger,
    );
    const bucket = `miner-steady-${process.pid}`;
    const config = subnet.minerConfig({ stateDir: tempDir(), bucket, metrics: { enabled: true, port: 0, host: '127.0.0.1' } });
    const watch = reportsUntil((rs) => rs.filter((r) => r.outcome === 'uploaded').length >= 3, 60_000);
    const miner = await startMiner(config, { hotkey, logger: quiet(), onWindow: watch.onWindow });
    let metricsText = '';
    try {
      await watch.reached;
      metricsText = await (await fetch(miner.metricsUrl!)).text();
    } finally {
      await miner.close();
    }
    const uploaded = watch.reports.filter((r) => r.outcome === 'uploaded');
    expect(uploaded.length).toBeGreaterThanOrEqual(3);
    // Before genesis + 2 there is no base; after that every window is uploaded exactly once.
    const windows = uploaded.map((r) => r.window);
    expect(new Set(windows).size).toBe(windows.length);
    for (const r of watch.reports.filter((x) => x.outcome === 'no-base')) expect(r.window).toBeLessThan(subnet.genesis.window + 2);

    const store: S3Store = createS3Store(
      { endpoint: s3.endpoint, region: s3.region, bucket, read: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, forcePathStyle: true },
      { access: 'read' },
    );
    // Every uploaded window has its sealed update and, once its deadline passed, the key that opens it.
    await new Promise((r) => setTimeout(r, 3000));
    const listed = (await store.list('gradients/')).map((o) => o.key).sort();
    for (const w of windows) expect(listed).toContain(sealedUpdateKey(w, hotkey.address));
    for (const r of uploaded) {
      const sealed = await store.get(sealedUpdateKey(r.window, hotkey.address), { maxBytes: 64 << 20 });
      const key = await store.get(sealKeyKey(r.window, hotkey.address), { maxBytes: 64 }).catch(() => undefined);
      if (!key) {
        // Only the last window's deadline may not have come yet.
        expect(r.window).toBe(Math.max(...windows));
        continue;
      }
      const decoded = decodeGradient(openSealed(sealed.body, key.body), {
        params: paramTable(subnet.run.model),
        hotkey: hotkey.address,
        window: r.window,
        baseCheckpoint: subnet.genesis.paramsHash,
        codec: subnet.run.codec,
      });
      expect(decoded.tensors.length).toBe(paramTable(subnet.run.model).length);
      expect(r.steps).toBeGreaterThanOrEqual(2);
      expect(r.losses!.at(-1)!).toBeLessThan(r.losses![0]!);
    }
    store.close();
    expect(metricsText).toMatch(/crucible_miner_window \d+/);
    expect(metricsText).toContain('crucible_miner_upload_bytes');
    expect(metricsText).toMatch(/crucible_miner_checkpoints_refused_total 0\n/);
  });

  it('skips a window whose upload cannot reach storage and recovers on the next', async () => {
    const { hotkey } = await subnet.newMiner('outage');
    const dir = tempDir();
    let server = await startS3Server({ dir });
    const own = { endpoint: server.endpoint, region: server.region, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    const bucket = 'miner-outage';
    const config = subnet.minerConfig({ stateDir: join(dir, 'state'), bucket, s3: own });
    let phase: 'up' | 'down' | 'back' = 'up';
    const watch = reportsUntil((reports) => {
      const r = reports.at(-1)!;
      if (phase === 'up' && r.outcome === 'uploaded') {
        phase = 'down';
        void server.close();
      } else if (phase === 'down' && r.outcome === 'upload-failed') {
        phase = 'back';
        void startS3Server({ dir, port: server.port }).then((s) => (server = s));
      } else if (phase === 'back' && r.outcome === 'uploaded') return true;
      return false;
    }, 150_000);
    const { reports } = watch;
    const miner = await startMiner(config, { hotkey, logger: quiet(), onWindow: watch.onWindow });
    try {
      await watch.reached;
    } finally {
      await miner.close();
      await server.close();
    }
    const failed = reports.find((r) => r.outcome === 'upload-failed');
    expect(failed, JSON.stringify(reports.map((r) => [r.window, r.outcome, r.reason]))).toBeDefined();
    const after = reports.filter((r) => r.outcome === 'uploaded' && r.window > failed!.window);
    expect(after.length).toBeGreaterThanOrEqual(1);
  });

  it('settles an update a killed run left pending: counted when already stored, never re-uploaded when its window has passed', async () => {
    const { hotkey } = await subnet.newMiner('pending');
    const bucket = `miner-pending-${process.pid}`;
    const table = paramTable(subnet.run.model);
    // A window that is over by the time the miner starts.
    const bpw = subnet.run.window.blocksPerWindow;
    while ((await currentBlock(subnet.client)) < 2 * bpw) await new Promise((r) => setTimeout(r, 500));
    const stale = Math.floor((await currentBlock(subnet.client)) / bpw) - 1;
    const tensors = sparseLoCoStep(createErrorFeedback(table), new Map(table.map((p) => [p.name, Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i))])), subnet.run.codec);
    const { sealed: bytes, key: seal } = sealUpdate(encodeGradient({ window: stale, baseCheckpoint: subnet.genesis.paramsHash, config: subnet.run.codec, tensors, signer: hotkey }));
    const sealKey = Buffer.from(seal).toString('hex');
    const key = sealedUpdateKey(stale, hotkey.address);
    const store = createS3Store(
      { endpoint: s3.endpoint, region: s3.region, bucket, read: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, write: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, forcePathStyle: true },
      { access: 'write' },
    );
    await store.ensureBucket();

    const runOnce = async (stateDir: string) => {
      const lines: Array<{ msg: string }> = [];
      const logger = createLogger({ name: 'miner-test', level: 'info', format: 'json', write: (l) => lines.push(JSON.parse(l) as { msg: string }) });
      const first = reportsUntil((rs) => rs.length >= 1, 60_000);
      const miner = await startMiner(subnet.minerConfig({ stateDir, bucket }), { hotkey, logger, onWindow: first.onWindow });
      await first.reached;
      await miner.close();
      return { lines, state: (await StateStore.open(stateDir, { hotkey: hotkey.address, netuid: subnet.netuid, genesisHash: subnet.devnet.genesisHash })).state };
    };
    const leavePending = async (stateDir: string) => {
      const state = await StateStore.open(stateDir, { hotkey: hotkey.address, netuid: subnet.netuid, genesisHash: subnet.devnet.genesisHash });
      const ef = state.fileName('error-feedback', 'safetensors');
      const file = state.fileName(`upload-${stale}`, 'crs');
      await state.commit({ [ef]: encodeErrorFeedback(createErrorFeedback(table)), [file]: bytes }, (st) => ({ ...st, errorFeedback: ef, pending: { window: stale, file, key, sealKey } }));
    };

    // The window passed and the upload never happened: the update goes back into error feedback, unsent.
    const missed = join(tempDir(), 'state');
    await leavePending(missed);
    const a = await runOnce(missed);
    expect(a.lines.map((l) => l.msg)).toContain("the previous run's update missed its window; its content goes back into the error feedback");
    expect(await store.head(key)).toBeUndefined();
    expect(a.state.pending).toBeNull();

    // The upload had landed before the kill: it counts, and is not written again.
    await store.put(key, bytes);
    const stored = (await store.head(key))!;
    const landed = join(tempDir(), 'state');
    await leavePending(landed);
    await new Promise((r) => setTimeout(r, 1100)); // LastModified has one-second resolution
    const b = await runOnce(landed);
    expect(b.lines.map((l) => l.msg)).toContain('update left by the previous run is in storage');
    expect(b.state.lastUploadedWindow).toBeGreaterThanOrEqual(stale);
    expect((await store.head(key))!.lastModified).toEqual(stored.lastModified);
    store.close();
  });

  // Last in this file: it fills the subnet so that a new registration replaces this miner.
  it('stops uploading when its hotkey is deregistered, says so, and keeps checking', async () => {
    const { hotkey } = await subnet.newMiner('dereg');
    const lines: Array<{ msg: string; level: string }> = [];
    const logger = createLogger({ name: 'miner-test', level: 'info', format: 'json', write: (l) => lines.push(JSON.parse(l) as { msg: string; level: string }) });
    let replaced = false;
    const watch = reportsUntil((reports) => {
      if (!replaced && reports.at(-1)!.outcome === 'uploaded') {
        replaced = true;
        void (async () => {
          const n = (await getMetagraph(subnet.client, subnet.netuid)).n;
          // Full, nobody immune, and no minimum of non-immune uids kept: the next registration replaces the lowest-emission miner.
          await sudoSetHyperparameters(subnet.client, keypairFromUri('//Alice'), subnet.netuid, { maxAllowedUids: n, immunityPeriod: 0, minNonImmuneUids: 0 });
          // A registration replaces the lowest-emission uid, the oldest first among equals: newcomers
          // register until this miner's uid is taken (the owner's hotkey is never replaced).
          for (let i = 0; i < 10 && (await getMetagraph(subnet.client, subnet.netuid)).hotkeys.includes(hotkey.address); i++) await subnet.newMiner(`newcomer-${i}`);
        })();
        return false;
      }
      return replaced && reports.filter((x) => x.outcome === 'not-registered').length >= 2;
    }, 90_000);
    const { reports } = watch;
    const miner = await startMiner(subnet.minerConfig({ stateDir: join(tempDir(), 'state'), bucket: `miner-dereg-${process.pid}` }), { hotkey, logger, onWindow: watch.onWindow });
    try {
      await watch.reached;
    } finally {
      await miner.close();
    }
    expect((await getMetagraph(subnet.client, subnet.netuid)).hotkeys).not.toContain(hotkey.address);
    const firstMissing = reports.findIndex((r) => r.outcome === 'not-registered');
    expect(firstMissing, JSON.stringify(reports.map((r) => [r.window, r.outcome]))).toBeGreaterThan(0);
    expect(reports.slice(firstMissing).filter((r) => r.outcome === 'uploaded')).toEqual([]);
    expect(lines.some((l) => l.level === 'error' && /no longer registered/.test(l.msg))).toBe(true);
  });
});
