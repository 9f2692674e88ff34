import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@crucible/core';
import { modelCli } from './cli.js';
import { readCheckpoint } from './gpt/checkpoint.js';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(modelCli, { argv, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), onSignal: () => () => {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('crucible-model CLI', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('init → train → eval → sample on a small model', async () => {
    dir = await mkdtemp(join(tmpdir(), 'crucible-model-cli-'));
    const ckpt = join(dir, 'm.safetensors');
    const small = ['--n-layer', '1', '--n-embd', '32', '--n-head', '2', '--block-size', '16'];
    const init = await cli('init', '--out', ckpt, '--preset', 'tiny', ...small, '--seed', '5');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/hash 0x[0-9a-f]{64}/);

    const train = await cli('train', '--checkpoint', ckpt, '--steps', '3', '--batch', '2', '--threads', '1');
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/^step 1\/3 loss \d+\.\d+ lr \S+ grad_norm \S+ tokens\/s \d+$/m);
    expect(train.stdout).toMatch(/^step 3\/3 /m);
    expect((await readCheckpoint(ckpt)).metadata.step).toBe('3');

    const text = join(dir, 'text.txt');
    await writeFile(text, 'the quick brown fox jumps over the lazy dog. '.repeat(4));
    const evaluated = await cli('eval', '--checkpoint', ckpt, '--text', text, '--batch', '4', '--threads', '1');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout) as { positions: number; loss: number; bits_per_byte: number };
    expect(result.positions).toBe(Math.floor((45 * 4 - 1) / 16) * 16);
    expect(result.bits_per_byte).toBeCloseTo(result.loss / Math.LN2, 5);

    const sampled = await cli('sample', '--checkpoint', ckpt, '--prompt', 'The ', '--tokens', '20', '--threads', '1');
    expect(sampled.code, sampled.stderr).toBe(0);
    expect(sampled.stdout.startsWith('The ')).toBe(true);
  }, 60_000);

  it('exits 2 on an unknown preset', async () => {
    const r = await cli('init', '--out', join(tmpdir(), 'never.safetensors'), '--preset', 'huge');
    expect(r.code).toBe(2);
  });
});
