import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, cryptoReady, keypairFromUri, runCli, type CliSpec } from '@crucible/core';
import { startDevnet, type Devnet } from '../node/devnet.js';
import { runtimePallets } from '../runtime/pallets.js';
import { withIncentivePallets } from '../pallets/subtensor/incentivePallets.js';
import { bootstrapSubnet } from './bootstrapSubnet.js';
import { clientCommands } from './commands.js';
import { formatTao, parseTao } from './formatting.js';
import { connectChain } from './connect.js';
import { getMetagraph } from './metagraph.js';

const spec: CliSpec = { name: 'crucible-chain', description: 'test', envPrefix: 'CRUCIBLE_CHAIN', commands: clientCommands };
let devnet: Devnet;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(spec, { argv, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t), onSignal: () => () => {} });
  return { code, out, err };
}

beforeAll(async () => {
  await cryptoReady();
  devnet = await startDevnet({ port: 0, tmp: true, blockTimeMs: 100, pallets: withIncentivePallets(runtimePallets), logger: createLogger({ name: 'chain', level: 'error' }) });
});
afterAll(async () => {
  await devnet?.close();
});

describe('TAO amounts', () => {
  it('parses and prints TAO with up to 9 decimals, exactly', () => {
    expect(parseTao('1.5')).toBe(1_500_000_000n);
    expect(parseTao('0.000000001')).toBe(1n);
    expect(formatTao(1_500_000_000n)).toBe('1.5');
    expect(formatTao(2_000_000_000n)).toBe('2');
  });
});

describe('btcli-like commands', () => {
  it('creates and starts a subnet, sets its tempo as its owner, registers a hotkey, stakes and prints the metagraph', async () => {
    const chain = ['--chain.endpoint', devnet.endpoint];
    const created = await run('subnet-create', ...chain, '--cold-uri', '//Alice', '--hot-uri', '//Alice//cli');
    expect(created.code, created.err).toBe(0);
    const { netuid } = JSON.parse(created.out) as { netuid: number };
    const set = await run('subnet-set', ...chain, '--cold-uri', '//Alice', '--netuid', String(netuid), '--tempo', '1000');
    expect(set.code, set.err).toBe(0);
    const rootOnly = await run('subnet-set', ...chain, '--cold-uri', '//Alice', '--netuid', String(netuid), '--kappa', '100');
    expect(rootOnly.code).toBe(2);
    expect(rootOnly.err).toContain('kappa is root-only');
    const early = await run('stake-add', ...chain, '--cold-uri', '//Bob', '--hot-uri', '//Alice//cli', '--netuid', String(netuid), '--amount', '1');
    expect(early.err).toContain('SubtokenDisabled');
    const started = await run('subnet-start', ...chain, '--cold-uri', '//Alice', '--netuid', String(netuid));
    expect(started.code, started.err).toBe(0);
    const reg = await run('register', ...chain, '--cold-uri', '//Bob', '--hot-uri', '//Bob//cli', '--netuid', String(netuid));
    expect(reg.code, reg.err).toBe(0);
    expect(JSON.parse(reg.out)).toMatchObject({ uid: 1 });
    const staked = await run('stake-add', ...chain, '--cold-uri', '//Bob', '--hot-uri', '//Bob//cli', '--netuid', String(netuid), '--amount', '2.5');
    expect(staked.code, staked.err).toBe(0);
    const mg = await run('metagraph', ...chain, '--netuid', String(netuid), '--json');
    expect(mg.code, mg.err).toBe(0);
    const parsed = JSON.parse(mg.out) as { n: number; hotkeys: string[]; alphaStake: string[]; stake: string[]; hyperparameters: { tempo: number } };
    expect(parsed.n).toBe(2);
    expect(parsed.hotkeys[1]).toBe(keypairFromUri('//Bob//cli').address);
    // 2.5 TAO bought alpha through the pool, a little under 2.5 at a price just above 1.
    expect(BigInt(parsed.alphaStake[1]!)).toBeGreaterThan(2_000_000_000n);
    expect(BigInt(parsed.alphaStake[1]!)).toBeLessThan(2_500_000_000n);
    expect(parsed.stake[1]).toBe(parsed.alphaStake[1]);
    expect(parsed.hyperparameters.tempo).toBe(1000);
    const table = await run('metagraph', ...chain, '--netuid', String(netuid));
    expect(table.out).toContain('uid  hotkey');
  });

  it('exits 1 with the pallet error for a failing call and 2 for bad usage', async () => {
    const chain = ['--chain.endpoint', devnet.endpoint];
    const failed = await run('register', ...chain, '--cold-uri', '//Bob', '--hot-uri', '//Bob//x', '--netuid', '42');
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('SubnetNotExists');
    expect((await run('stake-add', ...chain, '--netuid', '1', '--amount', 'lots')).code).toBe(2);
  });
});

describe('bootstrapSubnet', () => {
  it('creates, configures and fills a subnet in one call', async () => {
    const client = await connectChain({ endpoint: devnet.endpoint });
    try {
      const neurons = [0, 1, 2].map((i) => ({
        coldkey: keypairFromUri(`//Boot//cold${i}`),
        hotkey: keypairFromUri(`//Boot//hot${i}`).address,
        ...(i === 0 ? { stake: 50n * 1_000_000_000n } : {}),
      }));
      const { netuid, uids } = await bootstrapSubnet(client, { sudo: keypairFromUri('//Alice'), ownerHotkey: keypairFromUri('//Boot//owner').address, neurons });
      const mg = await getMetagraph(client, netuid);
      expect(mg.n).toBe(4);
      expect([...uids].sort()).toEqual([1, 2, 3]);
      expect(mg.hyperparameters.tempo).toBe(20);
      // Commit-reveal keeps the chain's default (on), as on Bittensor.
      expect(mg.hyperparameters.commitRevealWeightsEnabled).toBe(true);
      expect(mg.alphaStake[uids[0]!]!).toBeGreaterThan(30n * 1_000_000_000n);
      uids.forEach((uid, i) => expect(mg.coldkeys[uid]).toBe(neurons[i]!.coldkey.address));
    } finally {
      await client.close();
    }
  });
});
