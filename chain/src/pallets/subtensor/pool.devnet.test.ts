/**
 * SubtensorTransactionExtension on the devnet: invalid weights, reveals, serving calls and network
 * registrations are refused in the pool with `1010 Invalid Transaction: Custom error: N` before any
 * block includes them; an unfunded hotkey may still send Pays::No calls.
 */
import '@polkadot/api-augment';
import { Keyring } from '@polkadot/keyring';
import type { Codec } from '@polkadot/types/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendInBlock, startTestDevnet, txs, type TestDevnet } from '../../testing/testDevnet.js';
import { commitHash } from './commitReveal.js';

let t: TestDevnet;
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const ownerHot = keyring.addFromUri('//Alice//pool-hot');
const validator = keyring.addFromUri('//Bob//pool-validator');
let netuid: number;

beforeAll(async () => {
  t = await startTestDevnet();
  const { api } = t;
  const reg = await sendInBlock(txs(api).subtensorModule.registerNetwork(ownerHot.address), alice);
  netuid = Number((reg.raw.events.find((e) => e.event.method === 'NetworkAdded')?.event.data[0] as Codec).toString());
  await sendInBlock(txs(api).subtensorModule.burnedRegister(netuid, validator.address), bob);
  await sendInBlock(api.tx.sudo.sudo(txs(api).adminUtils.sudoSetWeightsSetRateLimit(netuid, 0)), alice);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('the pool refuses with custom codes', () => {
  it('refuses a reveal with no commit (16) and one before its reveal epoch (17)', async () => {
    const { api } = t;
    const salt = [1, 2, 3];
    await expect(sendInBlock(txs(api).subtensorModule.revealWeights(netuid, [0], [65535], salt, 0), ownerHot)).rejects.toThrow(/1010: Invalid Transaction: Custom error: 16/);
    const hash = commitHash(ownerHot.publicKey, netuid, [0], [65535], salt, 0n);
    await sendInBlock(txs(api).subtensorModule.commitWeights(netuid, hash), ownerHot);
    await expect(sendInBlock(txs(api).subtensorModule.revealWeights(netuid, [0], [65535], salt, 0), ownerHot)).rejects.toThrow(/1010: Invalid Transaction: Custom error: 17/);
  });

  it('refuses weights from a hotkey below StakeThreshold (1); the owner hotkey is exempt', async () => {
    const { api } = t;
    await sendInBlock(api.tx.sudo.sudo(txs(api).adminUtils.sudoSetStakeThreshold(1_000_000_000n)), alice);
    const hash = commitHash(validator.publicKey, netuid, [0], [1], [9], 0n);
    await expect(sendInBlock(txs(api).subtensorModule.commitWeights(netuid, hash), validator)).rejects.toThrow(/1010: Invalid Transaction: Custom error: 1\b/);
    await sendInBlock(api.tx.sudo.sudo(txs(api).adminUtils.sudoSetStakeThreshold(0)), alice);
  });

  it('refuses set_weights inside WeightsSetRateLimit while commit-reveal is off (6)', async () => {
    const { api } = t;
    await sendInBlock(txs(api).adminUtils.sudoSetCommitRevealWeightsEnabled(netuid, false), alice);
    await sendInBlock(api.tx.sudo.sudo(txs(api).adminUtils.sudoSetWeightsSetRateLimit(netuid, 100)), alice);
    // The commit above set the owner hotkey's LastUpdate; the limit is now 100 blocks.
    await expect(sendInBlock(txs(api).subtensorModule.setWeights(netuid, [0], [65535], 0), ownerHot)).rejects.toThrow(/1010: Invalid Transaction: Custom error: 6/);
  });

  it('refuses serve_axon with port 0 (13) and from an unregistered hotkey (10)', async () => {
    const { api } = t;
    await expect(sendInBlock(txs(api).subtensorModule.serveAxon(netuid, 0, 0x0a000001, 0, 4, 0, 0, 0), validator)).rejects.toThrow(/Custom error: 13/);
    await expect(sendInBlock(txs(api).subtensorModule.serveAxon(netuid, 0, 0x0a000001, 8080, 4, 0, 0, 0), bob)).rejects.toThrow(/Custom error: 10/);
  });

  it('lets an unfunded hotkey send a Pays::No call', async () => {
    const { api } = t;
    expect((await api.query.system.account(validator.address)).data.free.toBigInt()).toBe(0n);
    const r = await sendInBlock(txs(api).commitments.setCommitment(netuid, { fields: [{ Raw2: '0x0102' }] }), validator);
    expect(r.events).toContain('commitments.Commitment');
  });
});
