import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PageCache } from './pageCache.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const freshDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'crucible-page-cache-'));
  dirs.push(d);
  return d;
};
const blob = (n: number, v: number) => new Uint8Array(n).fill(v);

describe('PageCache', () => {
  it('keeps blobs on disk within its bound, evicting the least recently used', async () => {
    const dir = await freshDir();
    const cache = await PageCache.open({ dir, maxBytes: 300 });
    await cache.put('p1', blob(100, 1));
    await cache.put('p2', blob(100, 2));
    await cache.put('p3', blob(100, 3));
    expect(await cache.get('p1')).toEqual(blob(100, 1)); // p1 is now the most recently used
    await cache.put('p4', blob(100, 4));
    expect(cache.has('p2')).toBe(false);
    expect([...(await readdir(dir))].sort()).toEqual(['p1', 'p3', 'p4']);
    expect(cache.size).toBe(300);
    await cache.put('p5', blob(1000, 5)); // larger than the whole bound: not cached
    expect(cache.has('p5')).toBe(false);
    expect(cache.size).toBeLessThanOrEqual(300);
  });

  it('reopens with what is on disk, oldest first, dropping half-written files and what no longer fits', async () => {
    const dir = await freshDir();
    const first = await PageCache.open({ dir, maxBytes: 1000 });
    for (let i = 0; i < 5; i++) {
      await first.put(`p${i}`, blob(100, i));
      await new Promise((r) => setTimeout(r, 15)); // distinct modification times
    }
    await writeFile(join(dir, '.tmp-p9-abcd'), blob(10, 9));
    const second = await PageCache.open({ dir, maxBytes: 250 });
    expect(second.count).toBe(2);
    expect([...(await readdir(dir))].sort()).toEqual(['p3', 'p4']);
    expect(await second.get('p4')).toEqual(blob(100, 4));
  });

  it('forgets entries whose file disappeared and refuses names it does not make', async () => {
    const dir = await freshDir();
    const cache = await PageCache.open({ dir, maxBytes: 1000 });
    await cache.put('i3', blob(10, 3));
    await rm(join(dir, 'i3'));
    expect(await cache.get('i3')).toBeUndefined();
    expect(cache.count).toBe(0);
    await expect(cache.put('../x', blob(1, 0))).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
