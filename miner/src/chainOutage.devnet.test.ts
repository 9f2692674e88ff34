import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@crucible/core';
import { startMiner } from './startMiner.js';
import { reportsUntil } from './testing/reportsUntil.js';
import { startSubnetFixture, type SubnetFixture } from './testing/subnetFixture.js';

// The one S3 server of the test run (test/setup/services.global.ts); each test uses buckets of its own.
const services = inject('services' as never) as { s3Endpoint: string; s3Region: string; s3AccessKeyId: string; s3SecretAccessKey: string };
const s3 = { endpoint: services.s3Endpoint, region: services.s3Region, accessKeyId: services.s3AccessKeyId, secretAccessKey: services.s3SecretAccessKey };
let subnet: SubnetFixture;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crucible-miner-chain-outage-'));
  subnet = await startSubnetFixture({ s3, blockTimeMs: 500, basePath: join(dir, 'chain') });
});
afterAll(async () => {
  await subnet?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a miner whose chain node goes away', () => {
  it('reconnects when the node is back and goes on uploading', async () => {
    const { hotkey } = await subnet.newMiner('outage');
    const lines: Array<{ msg: string }> = [];
    const logger = createLogger({ name: 'miner-test', level: 'info', format: 'json', write: (l) => lines.push(JSON.parse(l) as { msg: string }) });
    let restarted = false;
    let restartedAt = -1;
    const watch = reportsUntil((reports) => {
      const r = reports.at(-1)!;
      if (!restarted && r.outcome === 'uploaded') {
        restarted = true;
        restartedAt = r.window;
        void subnet.restartChain(3_000);
        return false;
      }
      return restarted && r.outcome === 'uploaded' && r.window > restartedAt + 1;
    }, 120_000);
    const { reports } = watch;
    const miner = await startMiner(subnet.minerConfig({ stateDir: join(dir, 'state'), bucket: `miner-chain-outage-${process.pid}` }), { hotkey, logger, onWindow: watch.onWindow });
    try {
      await watch.reached;
    } finally {
      await miner.close();
    }
    expect(lines.map((l) => l.msg)).toContain('chain disconnected, reconnecting');
    const after = reports.filter((r) => r.outcome === 'uploaded' && r.window > restartedAt + 1);
    expect(after.length, JSON.stringify(reports.map((r) => [r.window, r.outcome, r.reason]))).toBeGreaterThanOrEqual(1);
    expect(reports.filter((r) => r.outcome === 'failed')).toEqual([]);
  });
});
