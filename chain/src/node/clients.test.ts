import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, HttpProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { genesisFromFile } from './genesis.js';
import { sendInBlock, startTestDevnet, type TestDevnet } from '../testing/testDevnet.js';

let t: TestDevnet;
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice');
const extra = keyring.addFromUri('//CrucibleGenesisExtra');
const dir = mkdtempSync(join(tmpdir(), 'crucible-genesis-'));

beforeAll(async () => {
  const file = join(dir, 'genesis.json');
  writeFileSync(file, JSON.stringify({ balances: [[extra.address, '123456789000']] }));
  t = await startTestDevnet({ genesis: genesisFromFile(file) });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a genesis file', () => {
  it('adds accounts to the dev genesis', async () => {
    expect((await t.api.query.system.account(extra.address)).data.free.toBigInt()).toBe(123_456_789_000n);
    expect((await t.api.query.system.account(alice.address)).data.free.toBigInt()).toBeGreaterThan(0n);
  });

  it('is refused with a CONFIG_INVALID error naming the problem', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ balances: [['not-an-address', '1']], extra: true }));
    let error: unknown;
    try {
      genesisFromFile(bad);
    } catch (e) {
      error = e;
    }
    expect(isCrucibleError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/balances\.0\.0/);
  });
});

describe('what polkadot.js apps and other clients call', () => {
  it('derives an account balance and subscribes to System.Events', async () => {
    const all = await t.api.derive.balances.all(alice.address);
    expect(all.freeBalance.toBigInt()).toBeGreaterThan(0n);
    const seen = await new Promise<string[]>((resolve) => {
      void t.api.query.system.events((events) => {
        const names = events.map((e) => `${e.event.section}.${e.event.method}`);
        if (names.length > 0) resolve(names);
      });
    });
    expect(seen[0]).toBe('system.ExtrinsicSuccess');
  });

  it('derives headers and blocks with their events, as the explorer does', async () => {
    const r = await sendInBlock(t.api.tx.system.remarkWithEvent('explorer'), alice);
    const block = await t.api.derive.chain.getBlock(r.blockHash);
    expect(block.block.header.hash.toHex()).toBe(r.blockHash);
    expect(block.events.map((e) => e.event.method)).toContain('Remarked');
    expect((await t.api.rpc.author.pendingExtrinsics()).length).toBeGreaterThanOrEqual(0);
    expect((await t.api.rpc.system.health()).peers.toNumber()).toBe(0);
  });

  it('serves @polkadot/api over HTTP as well', async () => {
    const api = await ApiPromise.create({ provider: new HttpProvider(t.node.httpEndpoint), noInitWarn: true });
    try {
      expect(api.genesisHash.toHex()).toBe(t.node.genesisHash);
      expect((await api.query.system.account(extra.address)).data.free.toBigInt()).toBe(123_456_789_000n);
    } finally {
      await api.disconnect();
    }
  });

});

describe('transaction format and mortality checks', () => {
  it('refuses a transaction whose birth block is not known yet as an ancient birth block', async () => {
    // Blocks only when the test asks, so the best block cannot move under the signed era.
    const quiet = await startTestDevnet({ blockTimeMs: 60_000 });
    try {
      const { api } = quiet;
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      // Period 64, phase (best + 1) mod 64: the birth block is the block being built, which has no hash yet.
      const era = api.createType('ExtrinsicEra', { current: best + 1, period: 64 });
      const tx = api.tx.system.remark('x');
      await tx.signAsync(alice, { era, blockHash: quiet.node.genesisHash });
      await expect(api.rpc.author.submitExtrinsic(tx.toHex())).rejects.toThrow(/1010: Invalid Transaction: Transaction has an ancient birth block/);
    } finally {
      await quiet.close();
    }
  });

  it('refuses bytes that are not an extrinsic with the invalid-format error', async () => {
    const res = await fetch(t.node.httpEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_submitExtrinsic', params: ['0x1004deadbeef'] }),
    });
    expect(await res.json()).toMatchObject({ error: { code: 1001, message: 'Extrinsic has invalid format' } });
  });
});
