import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DashboardState } from '@crucible/deploy';
import { acquireSubnetSlot } from '../support/subnetSlot.js';
import { tempSubnetDir } from '../support/tempSubnetDir.js';
import { waitFor } from '../support/waitFor.js';

/**
 * Supervision, as a user gets it: `crucible-local up` returns while its supervisor keeps the subnet
 * running; every process killed with -9 (the validator, its external evaluation worker, a miner, Redis,
 * the S3 server, the devnet, the dashboard) is back within seconds under a new pid; `status` and the
 * dashboard show each restart with its reason; `down` stops the supervisor and everything it runs.
 */
const cliBin = fileURLToPath(new URL('../../deploy/bin/crucible-local.js', import.meta.url));
const run = promisify(execFile);

interface StateFile {
  supervisorPid?: number;
  processes: Array<{ name: string; pid: number; status?: string; restarts: number; lastExit?: string }>;
  endpoints: Record<string, string>;
}

const alive = (pid: number) => {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('crucible-local up supervises every process of the subnet', () => {
  const folder = tempSubnetDir('supervision');
  const state = (): StateFile => JSON.parse(readFileSync(join(folder.dir, 'state.json'), 'utf8')) as StateFile;
  const cli = (...args: string[]) => run(process.execPath, [cliBin, ...args, '--dir', folder.dir], { timeout: 15 * 60_000, maxBuffer: 1 << 22 });
  let failed = true;
  let release: (() => void) | undefined;

  afterAll(async () => {
    if (existsSync(join(folder.dir, 'state.json'))) await cli('down').catch(() => undefined);
    release?.();
    folder.cleanup(failed);
  }, 180_000);

  it('brings back any killed process within seconds, shows the restarts, and down stops it all', async () => {
    release = await acquireSubnetSlot();
    const up = await cli('up', '--validators', '1', '--miners', '1', '--workers', '1', '--chain-port', '0', '--redis-port', '0', '--s3-port', '0', '--dashboard-port', '0', '--block-time-ms', '500', '--blocks-per-window', '20');
    expect(up.stdout).toContain('is up in');
    const first = state();
    expect(alive(first.supervisorPid!)).toBe(true);
    expect(first.processes.map((p) => p.name)).toEqual(['redis', 's3', 'chain', 'validator-0', 'validator-0-worker-0', 'miner-0', 'dashboard']);
    expect(first.processes.every((p) => alive(p.pid))).toBe(true);

    const victims = ['validator-0', 'validator-0-worker-0', 'miner-0', 'redis', 's3', 'chain', 'dashboard'];
    for (const name of victims) {
      const before = state().processes.find((p) => p.name === name)!;
      process.kill(before.pid, 'SIGKILL');
      const killedAt = Date.now();
      // A restart is recorded once the new process is ready (its /metrics answers, or its service does).
      const after = await waitFor(`${name} to be restarted`, async () => {
        const p = state().processes.find((x) => x.name === name)!;
        return p.pid !== before.pid && p.restarts === before.restarts + 1 && alive(p.pid) ? p : undefined;
      }, { timeoutMs: 120_000, intervalMs: 200 });
      const seconds = (Date.now() - killedAt) / 1000;
      console.log(`${name}: back and ready ${seconds.toFixed(1)} s after kill -9 (pid ${before.pid} → ${after.pid})`);
      expect(after).toMatchObject({ status: 'running', lastExit: 'killed by SIGKILL' });
      expect(seconds).toBeLessThan(60);
    }
    expect(alive(state().supervisorPid!)).toBe(true);

    const status = await cli('status');
    for (const name of victims) expect(status.stdout).toMatch(new RegExp(`${name}\\s+pid \\d+ running\\s+restarts 1 \\(last exit: killed by SIGKILL\\)`));
    const dashboard = state().endpoints['dashboard']!;
    await waitFor('the dashboard to show every restart', async () => {
      const s = (await (await fetch(`${dashboard}/api/state`)).json()) as DashboardState;
      return victims.every((n) => s.processes.find((p) => p.name === n)?.restarts === 1) ? s : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });

    const pids = [state().supervisorPid!, ...state().processes.map((p) => p.pid)];
    const down = await cli('down');
    expect(down.stdout).toContain('supervisor');
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(join(folder.dir, 'state.json'))).toBe(false);
    failed = false;
  }, 30 * 60_000);
});
