import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ENDOWMENT } from './genesis.js';
import { sendInBlock, startTestDevnet, type TestDevnet } from '../testing/testDevnet.js';

let t: TestDevnet;
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;

beforeAll(async () => {
  t = await startTestDevnet();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  charlie = keyring.addFromUri('//Charlie');
});

afterAll(async () => {
  await t?.close();
});

const free = async (address: string) => (await t.api.query.system.account(address)).data.free.toBigInt();
const nonce = async (address: string) => (await t.api.query.system.account(address)).nonce.toNumber();

describe('a devnet seen through @polkadot/api', () => {
  it('reports the subtensor runtime, its metadata and constants', () => {
    const { api } = t;
    expect(api.runtimeVersion.specName.toString()).toBe('node-subtensor');
    expect(api.runtimeVersion.specVersion.toNumber()).toBe(424);
    expect(api.runtimeMetadata.version).toBe(16);
    expect(api.runtimeVersion.transactionVersion.toNumber()).toBe(1);
    expect(api.genesisHash.toHex()).toBe(t.node.genesisHash);
    expect(api.consts.balances.existentialDeposit.toBigInt()).toBe(500n);
    expect(api.consts.system.ss58Prefix.toNumber()).toBe(42);
    expect(api.consts.timestamp.minimumPeriod.toBigInt()).toBe(6000n);
    expect(api.registry.metadata.pallets.map((p) => [p.name.toString(), p.index.toNumber()])).toEqual(
      expect.arrayContaining([
        ['System', 0],
        ['Timestamp', 2],
        ['Balances', 5],
        ['TransactionPayment', 6],
        ['SubtensorModule', 7],
        ['Utility', 11],
        ['Sudo', 12],
        ['Commitments', 18],
        ['AdminUtils', 19],
        ['Swap', 28],
      ]),
    );
  });

  it('has the dev accounts endowed at genesis and Alice as sudo', async () => {
    const { api } = t;
    const genesisApi = await api.at(t.node.genesisHash);
    const bobAtGenesis = await genesisApi.query.system.account(bob.address);
    expect(bobAtGenesis.data.free.toBigInt()).toBe(DEV_ENDOWMENT);
    expect(bobAtGenesis.providers.toNumber()).toBe(1);
    expect((await api.query.sudo.key()).unwrap().toString()).toBe(alice.address);
    expect((await genesisApi.query.balances.totalIssuance()).toBigInt()).toBe(6n * DEV_ENDOWMENT);
  });

  it('streams new heads whose hashes are the blocks the node serves', async () => {
    const { api } = t;
    const heads: Array<{ number: number; hash: string; parent: string }> = [];
    await new Promise<void>((resolve) => {
      void api.rpc.chain
        .subscribeNewHeads((h) => {
          heads.push({ number: h.number.toNumber(), hash: h.hash.toHex(), parent: h.parentHash.toHex() });
          if (heads.length === 3) resolve();
        })
        .then((unsub) => {
          const stop = setInterval(() => {
            if (heads.length >= 3) {
              clearInterval(stop);
              unsub();
            }
          }, 20);
        });
    });
    expect(heads[1]!.number).toBe(heads[0]!.number + 1);
    expect(heads[2]!.parent).toBe(heads[1]!.hash);
    expect((await api.rpc.chain.getBlockHash(heads[1]!.number)).toHex()).toBe(heads[1]!.hash);
    const block = await api.rpc.chain.getBlock(heads[1]!.hash);
    // Every block starts with the timestamp inherent.
    expect(block.block.extrinsics[0]!.method.section).toBe('timestamp');
    expect((await api.rpc.chain.getFinalizedHead()).toHex()).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('transfers with signAndSend: events, fee, nonce and balances change exactly', async () => {
    const { api } = t;
    const amount = 1_234_567_890n;
    const [aliceBefore, bobBefore, aliceNonce] = [await free(alice.address), await free(bob.address), await nonce(alice.address)];
    const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
    const fee = (await tx.paymentInfo(alice)).partialFee.toBigInt();
    expect(fee).toBeGreaterThan(0n);
    const r = await sendInBlock(tx, alice);
    expect(r.events).toEqual(['balances.Withdraw', 'balances.Transfer', 'transactionPayment.TransactionFeePaid', 'system.ExtrinsicSuccess']);
    const at = await api.at(r.blockHash);
    expect((await at.query.system.account(bob.address)).data.free.toBigInt()).toBe(bobBefore + amount);
    expect((await at.query.system.account(alice.address)).data.free.toBigInt()).toBe(aliceBefore - amount - fee);
    expect((await at.query.system.account(alice.address)).nonce.toNumber()).toBe(aliceNonce + 1);
  });

  it('creates a new account with NewAccount and Endowed, and rejects one below the existential deposit', async () => {
    const { api } = t;
    const fresh = new Keyring({ type: 'sr25519' }).addFromUri('//CrucibleFresh');
    const created = await sendInBlock(api.tx.balances.transferAllowDeath(fresh.address, 10_000n), charlie);
    expect(created.events).toContain('system.NewAccount');
    expect(created.events).toContain('balances.Endowed');
    expect(await free(fresh.address)).toBe(10_000n);

    const dust = new Keyring({ type: 'sr25519' }).addFromUri('//CrucibleDust');
    const r = await sendInBlock(api.tx.balances.transferAllowDeath(dust.address, 499n), charlie);
    expect(r.events.at(-1)).toBe('system.ExtrinsicFailed');
    const failed = r.raw.dispatchError!;
    expect(failed.isToken).toBe(true);
    expect(failed.asToken.isBelowMinimum).toBe(true);
    expect(await free(dust.address)).toBe(0n);
  });

  it('fails an overspend in dispatch with Token.FundsUnavailable: only the fee and nonce are charged', async () => {
    const { api } = t;
    const [before, bobBefore, n] = [await free(charlie.address), await free(bob.address), await nonce(charlie.address)];
    const tx = api.tx.balances.transferKeepAlive(bob.address, before + 1n);
    const fee = (await tx.paymentInfo(charlie)).partialFee.toBigInt();
    const r = await sendInBlock(tx, charlie);
    expect(r.events).toEqual(['balances.Withdraw', 'transactionPayment.TransactionFeePaid', 'system.ExtrinsicFailed']);
    expect(r.raw.dispatchError!.isToken && r.raw.dispatchError!.asToken.toString() === 'FundsUnavailable').toBe(true);
    expect(await free(charlie.address)).toBe(before - fee);
    expect(await free(bob.address)).toBe(bobBefore);
    expect(await nonce(charlie.address)).toBe(n + 1);
  });

  it('rejects an account that cannot pay the fee with the Payment error and changes nothing', async () => {
    const { api } = t;
    const poor = new Keyring({ type: 'sr25519' }).addFromUri('//CruciblePoor');
    // The node sends Substrate's text "Inability to pay some fees (e.g. account balance too low)".
    await expect(sendInBlock(api.tx.balances.transferAllowDeath(bob.address, 1n), poor)).rejects.toThrow(
      /^1010: Invalid Transaction: Inability to pay some fees/,
    );
    expect((await api.query.system.account(poor.address)).providers.toNumber()).toBe(0);
  });

  it('rejects a stale nonce as outdated and a bad signature as a bad proof, without state change', async () => {
    const { api } = t;
    const [before, n] = [await free(alice.address), await nonce(alice.address)];
    expect(n).toBeGreaterThan(0);
    await expect(sendInBlock(api.tx.balances.transferKeepAlive(bob.address, 1000n), alice, { nonce: n - 1 })).rejects.toThrow(
      '1010: Invalid Transaction: Transaction is outdated',
    );

    const tx = api.tx.balances.transferKeepAlive(bob.address, 1000n);
    await tx.signAsync(alice, { nonce: n });
    const bytes = tx.toU8a();
    // Flip one bit of the 64-byte sr25519 signature (after length prefix, version, 33-byte address, kind byte).
    const sigAt = bytes.length - tx.method.toU8a().length - 3 - 64;
    bytes[sigAt] = bytes[sigAt]! ^ 1;
    await expect(api.rpc.author.submitExtrinsic(bytes)).rejects.toThrow('1010: Invalid Transaction: Transaction has a bad signature');
    expect(await free(alice.address)).toBe(before);
    expect(await nonce(alice.address)).toBe(n);
  });

  it('answers the nonce runtime API and system_accountNextIndex', async () => {
    const { api } = t;
    const n = await nonce(alice.address);
    expect((await api.call.accountNonceApi.accountNonce(alice.address)).toNumber()).toBe(n);
    expect((await api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(n);
  });
});
