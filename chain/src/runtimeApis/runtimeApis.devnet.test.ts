/**
 * The runtime APIs explorers and the Python SDK call, over `state_call`, decoded by @polkadot/api 16.5.6
 * from the served V16 metadata (`api.call.*`): their values agree with storage, and the fee an explorer
 * is quoted (TransactionPaymentApi.query_info) is the fee add_stake is charged.
 */
import '@polkadot/api-augment';
import { Keyring } from '@polkadot/keyring';
import type { Codec } from '@polkadot/types/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, sendInBlock, startTestDevnet, txs, type TestDevnet } from '../testing/testDevnet.js';

let t: TestDevnet;
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice');
const ownerHot = keyring.addFromUri('//Alice//hot');
const miner = keyring.addFromUri('//Bob//hot');
const bob = keyring.addFromUri('//Bob');
const TAO = 1_000_000_000n;
let netuid: number;

type Call = (...args: unknown[]) => Promise<Codec>;
const call = (api: string, method: string): Call => {
  const fn = (t.api.call as unknown as Record<string, Record<string, Call>>)[api]?.[method];
  if (fn === undefined) throw new Error(`no api.call.${api}.${method}`);
  return fn;
};
const json = async (api: string, method: string, ...args: unknown[]) => (await call(api, method)(...args)).toJSON() as Record<string, unknown>;

beforeAll(async () => {
  t = await startTestDevnet();
  const { api } = t;
  const reg = await sendInBlock(txs(api).subtensorModule.registerNetwork(ownerHot.address), alice);
  netuid = Number((reg.raw.events.find((e) => e.event.method === 'NetworkAdded')?.event.data[0] as Codec).toString());
  await sendInBlock(txs(api).subtensorModule.startCall(netuid), alice);
  await sendInBlock(txs(api).subtensorModule.burnedRegister(netuid, miner.address), bob);
  await sendInBlock(txs(api).subtensorModule.addStake(ownerHot.address, netuid, 50n * TAO), alice);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('runtime APIs decoded by @polkadot/api', () => {
  it('are decorated from the served metadata (api.call)', () => {
    const apis = Object.keys(t.api.call);
    expect(apis).toEqual(expect.arrayContaining(['neuronInfoRuntimeApi', 'subnetInfoRuntimeApi', 'stakeInfoRuntimeApi', 'delegateInfoRuntimeApi', 'transactionPaymentApi']));
  });

  it('NeuronInfoRuntimeApi.get_neurons_lite lists every uid with its keys and (non-inherited) stake', async () => {
    const neurons = (await call('neuronInfoRuntimeApi', 'getNeuronsLite')(netuid)).toJSON() as Array<Record<string, unknown>>;
    expect(neurons.map((n) => n['hotkey'])).toEqual([ownerHot.address, miner.address]);
    expect(neurons.map((n) => n['coldkey'])).toEqual([alice.address, bob.address]);
    expect(neurons[0]?.['pruningScore']).toBe(65535);
    const alpha = (await queries(t.api).subtensorModule.totalHotkeyAlpha(ownerHot.address, netuid)).toString();
    expect(String((neurons[0]?.['stake'] as Array<[string, number]>)[0]?.[1])).toBe(alpha);
    const one = (await call('neuronInfoRuntimeApi', 'getNeuron')(netuid, 1)).toJSON() as Record<string, unknown>;
    expect(one['weights']).toEqual([]);
    expect((await call('neuronInfoRuntimeApi', 'getNeuronLite')(netuid, 9)).isEmpty).toBe(true);
  });

  it('SubnetInfoRuntimeApi.get_subnet_state gives alpha, tao and total (consensus) stake per uid', async () => {
    const state = await json('subnetInfoRuntimeApi', 'getSubnetState', netuid);
    expect(state['netuid']).toBe(netuid);
    const alpha = (await queries(t.api).subtensorModule.totalHotkeyAlpha(ownerHot.address, netuid)).toString();
    expect((state['alphaStake'] as unknown[]).map(String)).toEqual([alpha, '0']);
    expect((state['totalStake'] as unknown[]).map(String)).toEqual([alpha, '0']);
    expect(state['trust']).toEqual([]);
  });

  it('SubnetInfoRuntimeApi serves the metagraph, a selective metagraph, hyperparameters and the next epoch', async () => {
    const mg = await json('subnetInfoRuntimeApi', 'getMetagraph', netuid);
    expect(mg['numUids']).toBe(2);
    expect(mg['hotkeys']).toEqual([ownerHot.address, miner.address]);
    expect(mg['tempo']).toBe(360);
    expect(mg['commitRevealWeightsEnabled']).toBe(true);
    const sel = await json('subnetInfoRuntimeApi', 'getSelectiveMetagraph', netuid, [8, 52, 72]);
    expect(sel['tempo']).toBe(360);
    expect(sel['hotkeys']).toEqual([ownerHot.address, miner.address]);
    expect(sel['name']).toBeNull();
    const hp = await json('subnetInfoRuntimeApi', 'getSubnetHyperparamsV2', netuid);
    expect(hp).toMatchObject({ tempo: 360, commitRevealWeightsEnabled: true, commitRevealPeriod: 1, maxValidators: 64, immunityPeriod: 5000, subnetIsActive: true });
    const next = (await call('subnetInfoRuntimeApi', 'getNextEpochStartBlock')(netuid)).toJSON();
    const last = Number((await queries(t.api).subtensorModule.lastEpochBlock(netuid)).toString());
    expect(next).toBe(last + 360);
    const dyn = await json('subnetInfoRuntimeApi', 'getDynamicInfo', netuid);
    expect(dyn['ownerHotkey']).toBe(ownerHot.address);
  });

  it('StakeInfoRuntimeApi lists a coldkey’s stake per hotkey and subnet', async () => {
    const infos = (await call('stakeInfoRuntimeApi', 'getStakeInfoForColdkey')(alice.address)).toJSON() as Array<Record<string, unknown>>;
    const mine = infos.find((i) => i['netuid'] === netuid);
    expect(mine?.['hotkey']).toBe(ownerHot.address);
    // 50 TAO into a pool of ≈101 TAO and ≈99 alpha (a registration's burn went in) buys ≈32.8 alpha.
    expect(BigInt(String(mine?.['stake']))).toBeGreaterThan(32n * TAO);
    expect(BigInt(String(mine?.['stake']))).toBeLessThan(34n * TAO);
    expect(mine?.['isRegistered']).toBe(true);
  });

  it('DelegateInfoRuntimeApi answers (no delegates until someone stakes to another coldkey’s hotkey with a limit)', async () => {
    expect((await call('delegateInfoRuntimeApi', 'getDelegates')()).toJSON()).toEqual([]);
    await sendInBlock(txs(t.api).subtensorModule.addStakeLimit(miner.address, netuid, 5n * TAO, 10n * TAO, true), alice);
    const delegates = (await call('delegateInfoRuntimeApi', 'getDelegates')()).toJSON() as Array<Record<string, unknown>>;
    expect(delegates.map((d) => d['delegateSs58'])).toEqual([miner.address]);
    expect(delegates[0]?.['ownerSs58']).toBe(bob.address);
    expect(delegates[0]?.['registrations']).toEqual([netuid]);
  });
});

describe('the fee an explorer is quoted', () => {
  it('equals the fee add_stake is charged (TransactionPaymentApi.query_info, TransactionFeePaid)', async () => {
    const { api } = t;
    const tx = txs(api).subtensorModule.addStake(ownerHot.address, netuid, 3n * TAO);
    const quoted = (await tx.paymentInfo(alice)).partialFee.toBigInt();
    const signed = await txs(api).subtensorModule.addStake(ownerHot.address, netuid, 3n * TAO).signAsync(alice);
    const details = (await call('transactionPaymentApi', 'queryFeeDetails')(signed.toU8a(), signed.encodedLength)).toJSON() as { inclusionFee: Record<string, number> };
    expect(BigInt(details.inclusionFee['baseFee'] ?? 0)).toBe(54_078n);
    const before = (await api.query.system.account(alice.address)).data.free.toBigInt();
    const r = await sendInBlock(tx, alice);
    const paid = r.raw.events.find((e) => e.event.method === 'TransactionFeePaid')?.event.data[1] as Codec;
    expect(BigInt(paid.toString())).toBe(quoted);
    const after = (await api.query.system.account(alice.address)).data.free.toBigInt();
    expect(before - after).toBe(quoted + 3n * TAO);
    const added = r.raw.events.find((e) => e.event.method === 'StakeAdded')?.event.data.map((d) => d.toString());
    expect(added?.slice(2)).toEqual([String(3n * TAO), added?.[3], String(netuid), String((3n * TAO * ((33n << 64n) / 65535n)) >> 64n)]);
  });

  it('is zero for Pays::No calls (set_commitment)', async () => {
    const info = await txs(t.api).commitments.setCommitment(netuid, { fields: [{ Raw1: '0x01' }] }).paymentInfo(ownerHot);
    expect(info.partialFee.toBigInt()).toBe(0n);
  });
});
