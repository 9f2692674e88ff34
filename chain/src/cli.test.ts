import { describe, expect, it } from 'vitest';
import { runCli } from '@crucible/core';
import { chainCli } from './cli.js';

function io(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let signal: ((s: string) => void) | undefined;
  return {
    out,
    err,
    sendSignal: (s: string) => signal?.(s),
    io: {
      argv,
      env: {},
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      onSignal: (h: (s: string) => void) => {
        signal = h;
        return () => {};
      },
    },
  };
}

describe('crucible-chain', () => {
  it('documents every flag in --help', async () => {
    const h = io(['--help']);
    expect(await runCli(chainCli, h.io)).toBe(0);
    const text = h.out.join('');
    for (const flag of ['--rpc-port', '--block-time-ms', '--base-path', '--tmp', '--genesis']) expect(text).toContain(flag);
  });

  it('exits with a usage error without --base-path or --tmp, and for unknown flags', async () => {
    expect(await runCli(chainCli, io([]).io)).toBe(2);
    expect(await runCli(chainCli, io(['--tmp', '--no-such-flag', '1']).io)).toBe(2);
  });

  it('prints its endpoint once it accepts connections, and stops on SIGINT', async () => {
    const h = io(['--tmp', '--rpc-port', '0', '--block-time-ms', '1000', '--metrics.enabled', 'false', '--logging.level', 'error']);
    const exit = runCli(chainCli, h.io);
    while (h.out.length === 0) await new Promise((r) => setTimeout(r, 20));
    const endpoint = h.out.join('').trim();
    expect(endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(endpoint.replace('ws://', 'http://'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
    });
    expect(await res.json()).toMatchObject({ result: 'Bittensor' });
    h.sendSignal('SIGINT');
    expect(await exit).toBe(0);
  });
});
