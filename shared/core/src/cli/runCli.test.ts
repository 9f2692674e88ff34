import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { walletSchema } from '../config/commonSchemas.js';
import { CrucibleError } from '../errors.js';
import { runCli, type CliSpec } from './runCli.js';

function harness(spec: CliSpec, argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const done = runCli(spec, { argv, env, stdout: (t) => out.push(t), stderr: (t) => err.push(t), onSignal: () => () => {} });
  return done.then((code) => ({ code, stdout: out.join(''), stderr: err.join('') }));
}

const seen: unknown[] = [];
const spec: CliSpec = {
  name: 'crucible-test',
  description: 'a test CLI',
  commands: {
    default: {
      summary: 'run the thing',
      schema: z.strictObject({ netuid: z.number().int().default(2).describe('subnet id'), wallet: walletSchema.default(walletSchema.parse({})) }),
      run: async (config) => {
        seen.push(config);
      },
    },
    fail: {
      summary: 'always fails at run time',
      schema: z.strictObject({}),
      run: async () => {
        throw new CrucibleError('SERVICE_UNAVAILABLE', 'nothing listens');
      },
    },
  },
};

describe('runCli', () => {
  it('prints --help from the schema: every flag, default and env var', async () => {
    const { code, stdout } = await harness(spec, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--netuid <number>\s+subnet id; default: 2; env CRUCIBLE_NETUID/);
    expect(stdout).toContain('--wallet.hotkey <string>');
    expect(stdout).toContain('fail');
  });

  it('runs the default command with a validated config', async () => {
    const { code } = await harness(spec, ['--netuid', '5']);
    expect(code).toBe(0);
    expect(seen.at(-1)).toMatchObject({ netuid: 5 });
  });

  it('exits 2 with the field-by-field message on bad config, and 1 on a runtime failure', async () => {
    const bad = await harness(spec, ['--netuid', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--netuid = "x": expected an integer');
    const failed = await harness(spec, ['fail']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('SERVICE_UNAVAILABLE');
  });

  it('exits 2 on an unknown command and prints the resolved config on --print-config', async () => {
    expect((await harness(spec, ['nope'])).code).toBe(2);
    const printed = await harness(spec, ['--print-config'], { CRUCIBLE_WALLET_NAME: 'w1' });
    expect(JSON.parse(printed.stdout)).toMatchObject({ netuid: 2, wallet: { name: 'w1' } });
  });
});
