import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBenchText } from './benchText.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('writeBenchText', () => {
  it('writes the requested amount of English-like text, the same bytes every time', async () => {
    const write = async () => {
      const dir = await mkdtemp(join(tmpdir(), 'crucible-bench-text-'));
      dirs.push(dir);
      const r = await writeBenchText(dir, 2_500_000, { fileBytes: 1_000_000 });
      return { r, dir, names: (await readdir(dir)).sort() };
    };
    const [a, b] = [await write(), await write()];
    expect(a.r.bytes).toBeGreaterThanOrEqual(2_500_000);
    expect(a.names).toEqual(['doc-00000.txt', 'doc-00001.txt', 'doc-00002.txt']);
    const text = await readFile(join(a.dir, 'doc-00001.txt'), 'utf8');
    expect(await readFile(join(b.dir, 'doc-00001.txt'), 'utf8')).toBe(text);
    expect(text).toMatch(/ the /);
    expect(text.split(' ').length).toBeGreaterThan(100_000);
  });
});
