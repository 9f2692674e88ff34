import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCacheDir } from './cacheSlot.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crucible-cache-slot-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The pid of a process that has exited (so it certainly is not alive). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('cache slots under one root', () => {
  it('give live processes distinct folders and reuse a released one', async () => {
    const a = await claimCacheDir(root);
    const b = await claimCacheDir(root, { pid: process.ppid }); // another live process
    expect(a.dir).toBe(join(root, 'slot-0'));
    expect(b.dir).toBe(join(root, 'slot-1'));
    await a.release();
    await a.release(); // idempotent
    const c = await claimCacheDir(root);
    expect(c.dir).toBe(join(root, 'slot-0'));
    await Promise.all([b.release(), c.release()]);
  });

  it('take over the folder of a process that died without releasing it', async () => {
    const dir = join(root, 'slot-0');
    await writeFile(join(dir, 'owner.pid'), String(deadPid()));
    const slot = await claimCacheDir(root);
    expect(slot.dir).toBe(dir);
    expect(await readFile(join(dir, 'owner.pid'), 'utf8')).toBe(String(process.pid));
    await slot.release();
  });

  it('let only one of several claims started together win each slot', async () => {
    const slots = await Promise.all([1, 2, 3, 4].map(() => claimCacheDir(join(root, 'race'), { pid: process.ppid })));
    // The same pid claims four times: each claim still gets a slot of its own.
    expect(new Set(slots.map((s) => s.dir)).size).toBe(4);
    await Promise.all(slots.map((s) => s.release()));
  });

  it('refuse when every slot is held by a live process', async () => {
    const r = join(root, 'full');
    const held = await claimCacheDir(r, { maxSlots: 1, pid: process.ppid });
    await expect(claimCacheDir(r, { maxSlots: 1 })).rejects.toThrow(/all 1 dataset cache slots/);
    await held.release();
  });
});
