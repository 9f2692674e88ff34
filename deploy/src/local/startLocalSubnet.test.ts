import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@crucible/core';
import { crucibleLocalCli } from '../cli.js';
import { isAlive, readLocalState } from '../commands/localState.js';
import { httpOk } from '../services/httpOk.js';
import { pingRedis } from '../services/redis.js';
import { waitUntil } from '../services/waitUntil.js';
import { rpcBestBlock } from './devnetProcess.js';
import { startLocalSubnet } from './startLocalSubnet.js';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(crucibleLocalCli, { argv: args, env: {}, stdout: (t) => (out += t + '\n'), stderr: (t) => (out += t + '\n'), onSignal: () => () => {} });
  return { code, out };
}

// Services and the devnet only (no genesis, no neurons): what `up`, `down` and `status` do with processes.
const base = { chainPort: 0, redisPort: 0, s3Port: 0, dashboardPort: 0, blockTimeMs: 300, genesis: false, startNeurons: false, detached: true } as const;

describe('local subnet lifecycle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-local-lifecycle-'));
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second up in the same folder, stops everything with down, and resumes the same subnet with up', async () => {
    const first = await startLocalSubnet({ dir, ...base });
    const client = await first.client();
    await client.close();
    const pids = readLocalState(dir)!.processes;
    expect(pids.map((p) => p.name)).toEqual(['redis', 's3', 'chain', 'dashboard']);
    expect(pids.every((p) => isAlive(p.pid))).toBe(true);

    await expect(startLocalSubnet({ dir, ...base })).rejects.toMatchObject({ code: 'USAGE' });

    const status = await cli(['status', '--dir', dir]);
    expect(status.code).toBe(0);
    expect(status.out).toContain(first.endpoints.chain);

    const down = await cli(['down', '--dir', dir]);
    expect(down.code).toBe(0);
    expect(pids.some((p) => isAlive(p.pid))).toBe(false);
    expect((await cli(['status', '--dir', dir])).code).toBe(1);

    const again = await startLocalSubnet({ dir, ...base });
    expect(again.netuid).toBe(first.netuid);
    expect(again.endpoints.chain).toBe(first.endpoints.chain);
    expect(again.validators.map((v) => v.hotkeyAddress)).toEqual(first.validators.map((v) => v.hotkeyAddress));
    const record = JSON.parse(readFileSync(join(dir, 'subnet.json'), 'utf8')) as { netuid: number };
    expect(record.netuid).toBe(first.netuid);
    // The resumed chain continued from its persisted blocks: the subnet's neurons are still registered.
    const state = (await (await fetch(`${again.endpoints.dashboard}/api/state`)).json()) as { neurons: unknown[] };
    expect(state.neurons).toHaveLength(6);
    (await again.client()).close();
  }, 240_000);
});

describe('a supervised local subnet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-local-supervised-'));
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings back Redis, the S3 server, the devnet and the dashboard within seconds of a kill -9, and shows the restarts', async () => {
    // This test process is the supervisor here (as `up --foreground` is).
    const subnet = await startLocalSubnet({ dir, ...base, supervise: true });
    (await subnet.client()).close();
    const redisPort = Number(new URL(subnet.endpoints.redis).port);
    const answers: Record<string, () => Promise<boolean>> = {
      redis: () => pingRedis(redisPort),
      s3: () => httpOk(`${subnet.endpoints.s3}/`),
      chain: async () => (await rpcBestBlock(subnet.endpoints.chainHttp)) !== undefined,
      dashboard: () => httpOk(`${subnet.endpoints.dashboard}/api/health`),
    };
    for (const [name, answering] of Object.entries(answers)) {
      const before = subnet.records().find((r) => r.name === name)!;
      process.kill(before.pid, 'SIGKILL');
      const killedAt = Date.now();
      await waitUntil(`${name} to come back`, async () => {
        const now = readLocalState(dir)!.processes.find((p) => p.name === name)!;
        return now.pid !== before.pid && isAlive(now.pid) && (await answering());
      }, { timeoutMs: 60_000, intervalMs: 100 });
      console.log(`${name}: back and answering ${Date.now() - killedAt} ms after kill -9`);
      expect(Date.now() - killedAt).toBeLessThan(30_000);
      expect(readLocalState(dir)!.processes.find((p) => p.name === name)).toMatchObject({ restarts: 1, lastExit: 'killed by SIGKILL', status: 'running' });
    }
    // The dashboard (itself restarted) shows every restart with its reason, once it has refreshed.
    type Row = { name: string; restarts: number; lastExit: string | null; alive: boolean };
    const shown = async () => ((await (await fetch(`${subnet.endpoints.dashboard}/api/state`)).json()) as { processes: Row[] }).processes;
    await waitUntil('the dashboard to show four restarts', async () => (await shown()).filter((p) => p.restarts === 1).length === 4, { timeoutMs: 10_000, intervalMs: 250 });
    for (const name of Object.keys(answers)) expect((await shown()).find((p) => p.name === name)).toMatchObject({ restarts: 1, lastExit: 'killed by SIGKILL', alive: true });
    const status = await cli(['status', '--dir', dir]);
    expect(status.out).toMatch(/chain\s+pid \d+ running\s+restarts 1 \(last exit: killed by SIGKILL\)/);
    await subnet.close();
    expect(subnet.records().some((r) => isAlive(r.pid))).toBe(false);
  }, 300_000);
});
