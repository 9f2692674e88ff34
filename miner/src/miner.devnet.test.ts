import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createLogger } from '@crucible/core';
import { decodeGradient } from '@crucible/codec';
import { paramTable } from '@crucible/model';
import { createS3Store, gradientKey, type S3Store } from '@crucible/storage';
import { startS3Server } from '@crucible/deploy';
import { startMiner } from './startMiner.js';
import type { WindowReport } from './mineWindow.js';
import { startSubnetFixture, type SubnetFixture } from './testing/subnetFixture.js';

const services = inject('services');
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

/** Collects window reports and resolves when `until` holds. */
function reportsUntil(until: (reports: WindowReport[]) => boolean, timeoutMs: number) {
  const reports: WindowReport[] = [];
  let resolve!: () => void;
  const reached = new Promise<void>((r) => (resolve = r));
  const timer = setTimeout(resolve, timeoutMs);
  return {
    reports,
    reached,
    onWindow: (r: WindowReport) => {
      reports.push(r);
      if (until(reports)) {
        clearTimeout(timer);
        resolve();
      }
    },
  };
}

const quiet = () => createLogger({ name: 'miner-test', level: 'warn', format: 'json', write: () => {} });

describe('a registered miner on a devnet with a published genesis checkpoint', () => {
  it('uploads one valid, signed, decodable update per window, training its loss down within each window', async () => {
    const { hotkey } = await subnet.newMiner('steady');
    const bucket = `miner-steady-${process.pid}`;
    const config = subnet.minerConfig({ stateDir: tempDir(), bucket, metrics: { enabled: true, port: 0, host: '127.0.0.1' } });
    const watch = reportsUntil((rs) => rs.filter((r) => r.outcome === 'uploaded').length >= 3, 100_000);
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
    const listed = (await store.list('gradients/')).map((o) => o.key).sort();
    expect(listed).toEqual(windows.map((w) => gradientKey(w, hotkey.address)).sort());
    for (const r of uploaded) {
      const object = await store.get(gradientKey(r.window, hotkey.address), { maxBytes: 64 << 20 });
      const decoded = decodeGradient(object.body, {
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
  });

  it('skips a window whose upload cannot reach storage and recovers on the next', async () => {
    const { hotkey } = await subnet.newMiner('outage');
    const dir = tempDir();
    let server = await startS3Server({ dir });
    const own = { endpoint: server.endpoint, region: server.region, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    const bucket = 'miner-outage';
    const config = subnet.minerConfig({ stateDir: join(dir, 'state'), bucket, s3: own });
    let phase: 'up' | 'down' | 'back' = 'up';
    const reports: WindowReport[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const timer = setTimeout(() => done(), 150_000);
    const miner = await startMiner(config, {
      hotkey,
      logger: quiet(),
      onWindow: (r) => {
        reports.push(r);
        if (phase === 'up' && r.outcome === 'uploaded') {
          phase = 'down';
          void server.close();
        } else if (phase === 'down' && r.outcome === 'upload-failed') {
          phase = 'back';
          void startS3Server({ dir, port: server.port }).then((s) => (server = s));
        } else if (phase === 'back' && r.outcome === 'uploaded') {
          clearTimeout(timer);
          done();
        }
      },
    });
    try {
      await finished;
    } finally {
      await miner.close();
      await server.close();
    }
    const failed = reports.find((r) => r.outcome === 'upload-failed');
    expect(failed, JSON.stringify(reports.map((r) => [r.window, r.outcome, r.reason]))).toBeDefined();
    const after = reports.filter((r) => r.outcome === 'uploaded' && r.window > failed!.window);
    expect(after.length).toBeGreaterThanOrEqual(1);
  });
});
