import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendInBlock, startTestDevnet, type TestDevnet } from '../testing/testDevnet.js';

let t: TestDevnet;
let alice: KeyringPair;
let bob: KeyringPair;
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });

beforeAll(async () => {
  t = await startTestDevnet();
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});
afterAll(async () => {
  await t?.close();
});

const free = async (address: string) => (await t.api.query.system.account(address)).data.free.toBigInt();

describe('Sudo', () => {
  it('dispatches a root-only call for the sudo key and reports the result in Sudid, without a fee', async () => {
    const { api } = t;
    const target = keyring.addFromUri('//CrucibleSudoTarget');
    const aliceBefore = await free(alice.address);
    const r = await sendInBlock(api.tx.sudo.sudo(api.tx.balances.forceSetBalance(target.address, 5_000_000n)), alice);
    expect(r.events).toContain('sudo.Sudid');
    const sudid = r.raw.events.find((e) => e.event.method === 'Sudid')!;
    expect((sudid.event.data[0] as unknown as { isOk: boolean }).isOk).toBe(true);
    expect(await free(target.address)).toBe(5_000_000n);
    expect(await free(alice.address)).toBe(aliceBefore);
  });

  it('refuses the root-only call without sudo (BadOrigin), and sudo from another key in the pool (SudoTransactionExtension: BadSigner)', async () => {
    const { api } = t;
    const direct = await sendInBlock(api.tx.balances.forceSetBalance(bob.address, 1n), bob);
    expect(direct.raw.dispatchError!.isBadOrigin).toBe(true);
    const before = await free(bob.address);
    await expect(sendInBlock(api.tx.sudo.sudo(api.tx.balances.forceSetBalance(bob.address, 1n)), bob)).rejects.toThrow(
      /1010: Invalid Transaction: Invalid signing address/,
    );
    expect(await free(bob.address)).toBe(before);
  });
});

describe('Utility', () => {
  it('batch stops at the first failure (BatchInterrupted) and keeps the calls before it', async () => {
    const { api } = t;
    const a = keyring.addFromUri('//CrucibleBatchA');
    const r = await sendInBlock(
      api.tx.utility.batch([api.tx.balances.transferKeepAlive(a.address, 1_000_000n), api.tx.balances.forceSetBalance(a.address, 1n), api.tx.balances.transferKeepAlive(a.address, 1_000_000n)]),
      bob,
    );
    expect(r.events).toContain('utility.BatchInterrupted');
    expect(r.events).not.toContain('utility.BatchCompleted');
    expect(r.events.at(-1)).toBe('system.ExtrinsicSuccess');
    expect(await free(a.address)).toBe(1_000_000n);
  });

  it('batch_all is all or nothing: one failing call undoes the others and fails the extrinsic', async () => {
    const { api } = t;
    const b = keyring.addFromUri('//CrucibleBatchB');
    const r = await sendInBlock(api.tx.utility.batchAll([api.tx.balances.transferKeepAlive(b.address, 1_000_000n), api.tx.balances.forceSetBalance(b.address, 1n)]), bob);
    expect(r.events.at(-1)).toBe('system.ExtrinsicFailed');
    expect(r.raw.dispatchError!.isBadOrigin).toBe(true);
    expect(r.events).not.toContain('balances.Transfer');
    expect(await free(b.address)).toBe(0n);
  });
});

describe('Balances.transfer_all', () => {
  it('with keep_alive false empties and reaps the account (KilledAccount); with true it keeps the existential deposit', async () => {
    const { api } = t;
    const leaving = keyring.addFromUri('//CrucibleLeaving');
    const staying = keyring.addFromUri('//CrucibleStaying');
    await sendInBlock(api.tx.utility.batchAll([api.tx.balances.transferKeepAlive(leaving.address, 1_000_000_000n), api.tx.balances.transferKeepAlive(staying.address, 1_000_000_000n)]), alice);

    const gone = await sendInBlock(api.tx.balances.transferAll(bob.address, false), leaving);
    expect(gone.events).toEqual(expect.arrayContaining(['balances.Transfer', 'system.KilledAccount', 'system.ExtrinsicSuccess']));
    const after = await api.query.system.account(leaving.address);
    expect(after.providers.toNumber()).toBe(0);
    expect(after.data.free.toBigInt()).toBe(0n);

    await sendInBlock(api.tx.balances.transferAll(bob.address, true), staying);
    expect(await free(staying.address)).toBe(api.consts.balances.existentialDeposit.toBigInt());
  });
});

describe('signers', () => {
  it('accepts ed25519-signed extrinsics', async () => {
    const { api } = t;
    const ed = new Keyring({ type: 'ed25519', ss58Format: 42 }).addFromUri('//CrucibleEd');
    await sendInBlock(api.tx.balances.transferKeepAlive(ed.address, 10_000_000_000n), alice);
    const r = await sendInBlock(api.tx.balances.transferKeepAlive(bob.address, 1_000n), ed);
    expect(r.events.at(-1)).toBe('system.ExtrinsicSuccess');
    expect((await api.query.system.account(ed.address)).nonce.toNumber()).toBe(1);
  });

  it('includes a transaction with a future nonce once the gap is filled', async () => {
    const { api } = t;
    const n = (await api.query.system.account(bob.address)).nonce.toNumber();
    const later = sendInBlock(api.tx.system.remarkWithEvent('second'), bob, { nonce: n + 1 });
    while ((await api.rpc.author.pendingExtrinsics()).length === 0) await new Promise((r) => setTimeout(r, 20));
    t.node.produceBlock();
    expect((await api.query.system.account(bob.address)).nonce.toNumber()).toBe(n);
    const first = await sendInBlock(api.tx.system.remarkWithEvent('first'), bob, { nonce: n });
    expect(first.events).toContain('system.Remarked');
    expect((await later).events).toContain('system.Remarked');
    expect((await api.query.system.account(bob.address)).nonce.toNumber()).toBe(n + 2);
  });
});
