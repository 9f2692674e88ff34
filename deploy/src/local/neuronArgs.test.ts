import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { datasetGenesisArgs, prepareArgs } from './localDataset.js';
import { genesisArgs, minerArgs, validatorArgs, type NeuronContext } from './neuronArgs.js';
import { packageBin } from './packageBin.js';

const ctx: NeuronContext = {
  dir: '/tmp/crucible-local-args',
  walletPath: '/tmp/crucible-local-args/wallets',
  netuid: 3,
  chainEndpoint: 'ws://127.0.0.1:9944',
  redisUrl: 'redis://127.0.0.1:6390',
  s3: { endpoint: 'http://127.0.0.1:9100', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
};
const wallet = { name: 'miner-0', hotkeyName: 'default', coldkeyAddress: 'c', hotkeyAddress: 'h' };

/** Runs a built CLI with `--print-config`: exit 0 means every flag crucible-local passes exists and is valid. */
function printConfig(bin: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [bin, ...args, '--print-config'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('the flags crucible-local gives each process', () => {
  it('are accepted by crucible-miner', () => {
    const r = printConfig(packageBin('@crucible/miner', 'crucible-miner'), minerArgs(ctx, wallet, 9300));
    expect(r.out).not.toMatch(/CONFIG_INVALID/);
    expect(r.status).toBe(0);
    expect(r.out).toContain('"bucket": "miner-0"');
  });

  it('are accepted by crucible-validator', () => {
    const r = printConfig(packageBin('@crucible/validator', 'crucible-validator'), validatorArgs(ctx, { ...wallet, name: 'validator-0' }, 9301));
    expect(r.out).not.toMatch(/CONFIG_INVALID/);
    expect(r.status).toBe(0);
  });

  it('name storage the same way for the miner and the validator', () => {
    const storageFlags = (args: string[]) => args.filter((a) => a.startsWith('--storage.')).sort();
    const miner = storageFlags(minerArgs(ctx, wallet, 9300));
    expect(miner).toContain('--storage.write.access-key-id');
    expect(miner).toContain('--storage.allow-private-endpoints');
    expect(storageFlags(validatorArgs(ctx, wallet, 9301))).toEqual(miner);
  });

  it('can hold a subnet to its own S3 server: the endpoint policy flags parse and say so', () => {
    const strict = { ...ctx, peerEndpoints: { allowPrivateEndpoints: false, allowAddresses: ['127.0.0.1:9100', '127.0.0.2'] } };
    const r = printConfig(packageBin('@crucible/miner', 'crucible-miner'), minerArgs(strict, wallet, 9300));
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/"allowPrivateEndpoints": false/);
    expect(r.out).toMatch(/"allowAddresses": \[\s*"127\.0\.0\.1:9100",\s*"127\.0\.0\.2"\s*\]/);
    expect(printConfig(packageBin('@crucible/miner', 'crucible-miner'), minerArgs(ctx, wallet, 9300)).out).toMatch(/"allowPrivateEndpoints": true/);
  });

  it('are accepted by crucible-validator genesis', () => {
    const r = printConfig(packageBin('@crucible/validator', 'crucible-validator'), genesisArgs(ctx, { ...wallet, name: 'owner' }, { preset: 'tiny', blocksPerWindow: 10, blockTimeMs: 1000 }));
    expect(r.out).not.toMatch(/CONFIG_INVALID/);
    expect(r.status).toBe(0);
  });

  it('are accepted by crucible-data prepare, and by genesis with the dataset pinned', () => {
    const owner = { ...wallet, name: 'owner' };
    const prepare = printConfig(packageBin('@crucible/data', 'crucible-data'), prepareArgs(ctx, owner, { text: 'sotu', tokenizer: 'bytes', name: 'local-bytes' }));
    expect(prepare.out).not.toMatch(/CONFIG_INVALID/);
    expect(prepare.status).toBe(0);
    const dataset = { text: 'sotu', tokenizer: 'bytes' as const, name: 'local-bytes', manifestHash: `0x${'ab'.repeat(32)}` as const };
    const genesis = printConfig(packageBin('@crucible/validator', 'crucible-validator'), genesisArgs(ctx, owner, { preset: 'tiny', blocksPerWindow: 10, blockTimeMs: 1000, extra: datasetGenesisArgs(ctx, owner, dataset) }));
    expect(genesis.out).not.toMatch(/CONFIG_INVALID/);
    expect(genesis.status).toBe(0);
    expect(genesis.out).toContain('"manifestHash": "0xabab');
  });
});
