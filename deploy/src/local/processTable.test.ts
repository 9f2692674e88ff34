import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnService } from '../services/childProcess.js';
import { waitUntil } from '../services/waitUntil.js';
import { isAlive } from '../commands/localState.js';
import { ProcessTable } from './processTable.js';

// Real child processes (a node that idles, a node that exits at once), supervised by the table.
const dir = mkdtempSync(join(tmpdir(), 'crucible-process-table-'));
const idle = (name: string) => async () => spawnService(name, process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { logFile: join(dir, `${name}.log`) });
const crashing = (name: string) => async () => spawnService(name, process.execPath, ['-e', 'process.exit(3)'], { logFile: join(dir, `${name}.log`) });
const tables: ProcessTable[] = [];
const table = (supervise = true) => {
  const t = new ProcessTable(supervise ? { initialBackoffMs: 100, maxBackoffMs: 800 } : undefined);
  tables.push(t);
  return t;
};

afterEach(async () => {
  for (const t of tables.splice(0)) await t.closeAll(2000);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a supervised process table', () => {
  it('restarts a process killed with SIGKILL, with a new pid, counting the restart and its reason', async () => {
    const t = table();
    await t.launch('svc', idle('svc'));
    const first = t.process('svc')!.pid;
    process.kill(first, 'SIGKILL');
    const started = Date.now();
    await waitUntil('a new svc', async () => t.records()[0]!.restarts === 1, { timeoutMs: 5000, intervalMs: 20 });
    const [record] = t.records();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(record).toMatchObject({ name: 'svc', status: 'running', restarts: 1, lastExit: 'killed by SIGKILL' });
    expect(record!.pid).not.toBe(first);
    expect(isAlive(record!.pid)).toBe(true);
  });

  it('backs off a process that keeps crashing (100 ms doubling to 800 ms) instead of spinning', async () => {
    const t = table();
    await t.launch('crash', crashing('crash'));
    await new Promise((r) => setTimeout(r, 2500));
    // 100 + 200 + 400 + 800 + 800 ms of backoff (plus start-up) fit at most five restarts into 2.5 s.
    const { restarts, lastExit } = t.records()[0]!;
    expect(restarts).toBeGreaterThanOrEqual(2);
    expect(restarts).toBeLessThanOrEqual(5);
    expect(lastExit).toBe('exit code 3');
  });

  it('leaves a process stopped on purpose alone until it is restarted', async () => {
    const t = table();
    await t.launch('svc', idle('svc'));
    await t.stop('svc', 'SIGKILL', 1000);
    await new Promise((r) => setTimeout(r, 400));
    expect(t.records()[0]).toMatchObject({ status: 'stopped', restarts: 0 });
    await t.restart('svc');
    expect(t.records()[0]).toMatchObject({ status: 'running' });
    expect(isAlive(t.process('svc')!.pid)).toBe(true);
  });

  it('restarts nothing once closing, and nothing at all without supervision', async () => {
    const plain = table(false);
    await plain.launch('svc', idle('svc'));
    const pid = plain.process('svc')!.pid;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 400));
    expect(plain.records()[0]).toMatchObject({ pid, status: 'stopped', restarts: 0 });

    const t = table();
    await t.launch('a', idle('a'));
    await t.launch('b', idle('b'));
    const pids = t.records().map((r) => r.pid);
    await t.closeAll(2000);
    await new Promise((r) => setTimeout(r, 400));
    expect(pids.some((p) => isAlive(p))).toBe(false);
    expect(t.records().every((r) => r.restarts === 0)).toBe(true);
  });
});
