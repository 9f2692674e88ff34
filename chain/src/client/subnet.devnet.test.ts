/**
 * The incentive layer end to end over WebSocket: a devnet with SubtensorModule, Commitments and
 * AdminUtils, driven only through the typed client (the same code that talks to a real subtensor node).
 */
import type { Codec } from '@polkadot/types/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, cryptoReady, isCrucibleError, keypairFromUri, type Keypair } from '@crucible/core';
import { startDevnet, type Devnet } from '../node/devnet.js';
import { runtimePallets } from '../runtime/pallets.js';
import { withIncentivePallets } from '../pallets/subtensor/incentivePallets.js';
import { ALPHA_PER_BLOCK, isEpochBlock, splitBlockEmission, yumaEpoch, type SparseMatrix } from '../yuma/index.js';
import { getBalance, transfer } from './balances.js';
import { getCommitment, setCommitment } from './commitments.js';
import { connectChain, type ChainClient } from './connect.js';
import { getMetagraph } from './metagraph.js';
import { burnedRegister, registerNetwork } from './register.js';
import { addStake, removeStake } from './stake.js';
import { isDispatchError, submitExtrinsic } from './submit.js';
import { sudoSetHyperparameters } from './sudo.js';
import { readElectionState, readNeuronRows } from './subnetReads.js';
import { setWeights } from './weights.js';

const TAO = 1_000_000_000n;
const TEMPO = 12;

let devnet: Devnet;
let client: ChainClient;
let netuid: number;
const alice = () => keypairFromUri('//Alice');
const coldkeys: Keypair[] = [];
const hotkeys: Keypair[] = [];
/** uid of hotkeys[i]; hotkeys 0 and 1 are the validators. */
const uids: number[] = [];

async function expectDispatchError(promise: Promise<unknown>, pallet: string, error: string): Promise<void> {
  try {
    await promise;
  } catch (e) {
    if (isDispatchError(e, pallet, error)) return;
    throw e;
  }
  expect.fail(`expected ${pallet}.${error}`);
}

async function query(item: string, ...args: unknown[]): Promise<Codec> {
  const entry = client.api.query['subtensorModule']?.[item];
  if (entry === undefined) throw new Error(item);
  return entry(...args);
}

async function waitForBlock(predicate: (block: number) => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const block = (await client.api.rpc.chain.getHeader()).number.toNumber();
    if (await predicate(block)) return block;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a block');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until an epoch of `netuid` has run after `afterBlock`; returns its block. */
async function nextEpoch(afterBlock: number): Promise<number> {
  let epochBlock = 0;
  await waitForBlock(async () => {
    epochBlock = Number((await query('lastMechansimStepBlock', netuid)).toString());
    return epochBlock > afterBlock;
  });
  return epochBlock;
}

beforeAll(async () => {
  await cryptoReady();
  devnet = await startDevnet({
    port: 0,
    tmp: true,
    blockTimeMs: 150,
    pallets: withIncentivePallets(runtimePallets),
    logger: createLogger({ name: 'chain', level: 'error' }),
  });
  client = await connectChain({ endpoint: devnet.endpoint });
  for (let i = 0; i < 8; i++) {
    coldkeys.push(keypairFromUri(`//Crucible//cold${i}`));
    hotkeys.push(keypairFromUri(`//Crucible//hot${i}`));
  }
});

afterAll(async () => {
  await client?.close();
  await devnet?.close();
});

describe('a subnet on the devnet, through the client', () => {
  it('creates a subnet and sets its hyperparameters with Sudo.sudo(AdminUtils.sudo_set_*)', async () => {
    const owner = keypairFromUri('//Alice//owner');
    const created = await registerNetwork(client, alice(), owner.address);
    netuid = created.netuid;
    expect(created.events.map((e) => e.name)).toContain('subtensorModule.NetworkAdded');
    await sudoSetHyperparameters(client, alice(), netuid, {
      tempo: TEMPO,
      maxRegistrationsPerBlock: 16,
      targetRegistrationsPerInterval: 16,
      maxAllowedUids: 9,
      maxAllowedValidators: 2,
      minAllowedWeights: 3,
      weightsSetRateLimit: 0n,
      weightsVersionKey: 5n,
    });
    const mg = await getMetagraph(client, netuid);
    expect(mg.hyperparameters).toMatchObject({ tempo: TEMPO, maxAllowedUids: 9, maxAllowedValidators: 2, minAllowedWeights: 3, weightsVersionKey: 5n });
    expect(mg.hotkeys).toEqual([owner.address]);
  });

  it('refuses a hyperparameter for a subnet that does not exist with AdminUtils.SubnetDoesNotExist', async () => {
    await expectDispatchError(sudoSetHyperparameters(client, alice(), 77, { tempo: 3 }), 'AdminUtils', 'SubnetDoesNotExist');
  });

  it('registers 8 neurons from 8 coldkeys, paying the burn', async () => {
    // Eight concurrent transfers from one signer: the client sends them in nonce order.
    await Promise.all(coldkeys.map((c) => transfer(client, alice(), c.address, 10_000n * TAO)));
    const burn = (await getMetagraph(client, netuid)).hyperparameters.burn;
    const before = await getBalance(client, coldkeys[0]!.address);
    const results = await Promise.all(coldkeys.map((c, i) => burnedRegister(client, c, netuid, hotkeys[i]!.address)));
    for (const r of results) uids.push(r.uid);
    expect([...uids].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await getBalance(client, coldkeys[0]!.address)).toBe(before - burn);
    const mg = await getMetagraph(client, netuid);
    expect(mg.n).toBe(9);
    uids.forEach((uid, i) => {
      expect(mg.hotkeys[uid]).toBe(hotkeys[i]!.address);
      expect(mg.coldkeys[uid]).toBe(coldkeys[i]!.address);
    });
  });

  it('stakes to two validators; the next epoch gives them the only two permits', async () => {
    const staked = await addStake(client, coldkeys[0]!, hotkeys[0]!.address, netuid, 1000n * TAO);
    const staked1 = await addStake(client, coldkeys[1]!, hotkeys[1]!.address, netuid, 400n * TAO);
    expect(staked.events.find((e) => e.name === 'subtensorModule.StakeAdded')?.data).toEqual([
      coldkeys[0]!.address,
      hotkeys[0]!.address,
      Number(1000n * TAO),
      Number(1000n * TAO - 50_000n),
      netuid,
    ]);
    await nextEpoch(staked1.blockNumber);
    const mg = await getMetagraph(client, netuid);
    // At least what was staked (an epoch may already have paid dividends by stake on top).
    expect(mg.alphaStake[uids[0]!]! >= 1000n * TAO - 50_000n).toBe(true);
    expect(mg.validatorPermit.filter(Boolean).length).toBe(2);
    expect(mg.validatorPermit[uids[0]!]).toBe(true);
    expect(mg.validatorPermit[uids[1]!]).toBe(true);
    const election = await readElectionState(client, netuid);
    expect(election.hotkeys[uids[0]!]).toBe(hotkeys[0]!.address);
    expect(election.stake[uids[0]!]).toBe(mg.stake[uids[0]!]);
    expect(election.validatorPermit).toEqual(mg.validatorPermit);
  });

  it('after a tempo, Incentive, Dividends and Emission equal the pure Yuma epoch, and emission is conserved', async () => {
    const miners = uids.slice(2);
    const v0 = await setWeights(client, hotkeys[0]!, netuid, new Map(miners.map((m, k) => [m, k + 1])), { versionKey: 5n });
    const v1 = await setWeights(client, hotkeys[1]!, netuid, new Map(miners.map((m) => [m, 1])), { versionKey: 7n });
    expect(v0.status).toBe('SET');
    expect(v1.status).toBe('SET');
    const lastWeightsBlock = Math.max(v0.status === 'SET' ? v0.receipt.blockNumber : 0, v1.status === 'SET' ? v1.receipt.blockNumber : 0);
    const epochBlock = await nextEpoch(lastWeightsBlock);
    expect(isEpochBlock(epochBlock, netuid, TEMPO)).toBe(true);

    // Inputs exactly as storage held them before the epoch block.
    const before = await getMetagraph(client, netuid, { atBlock: epochBlock - 1 });
    const at = await client.api.at(await client.api.rpc.chain.getBlockHash(epochBlock - 1));
    const bonds: SparseMatrix = Array.from({ length: before.n }, () => []);
    for (const [key, value] of await at.query['subtensorModule']!['bonds']!.entries(netuid)) {
      bonds[Number((key.args[1] as Codec).toString())] = (value as unknown as Array<[Codec, Codec]>).map(([j, w]) => [Number(j.toString()), Number(w.toString())]);
    }
    const pending = BigInt((await at.query['subtensorModule']!['pendingEmission']!(netuid)).toString());
    const pendingOwnerCut = BigInt((await at.query['subtensorModule']!['pendingOwnerCut']!(netuid)).toString());
    const split = splitBlockEmission(ALPHA_PER_BLOCK);
    const E = pending + BigInt(split.pending);
    const expected = yumaEpoch({
      block: epochBlock,
      stake: before.alphaStake.map(Number),
      lastUpdate: before.lastUpdate,
      blockAtRegistration: before.blockAtRegistration,
      validatorPermit: before.validatorPermit,
      weights: before.weights,
      bonds,
      emission: Number(E),
      params: { activityCutoff: 5000, maxAllowedValidators: 2, kappa: 32767, bondsMovingAverage: 900_000, bondsPenalty: 0 },
    });

    const after = await getMetagraph(client, netuid, { atBlock: epochBlock });
    const u16 = (xs: number[]) => xs.map((x) => Math.round(x * 65535));
    expect(u16(after.incentive)).toEqual(expected.storage.incentive);
    expect(u16(after.dividends)).toEqual(expected.storage.dividends);
    expect(after.emission).toEqual(expected.storage.emission.map(BigInt));
    // The validators' weights agree on every miner, so all six get incentive and only validators dividends.
    for (const m of miners) expect(after.incentive[m]).toBeGreaterThan(0);
    expect(after.dividends[uids[0]!]! + after.dividends[uids[1]!]!).toBeCloseTo(1, 3);

    // Conservation: what the epoch pays as stake is the drained emission less < 1 rao per uid, plus the owner cut.
    const paid = [...expected.serverEmission, ...expected.validatorEmission].reduce((a, b) => a + b, 0);
    expect(E - BigInt(paid)).toBeGreaterThanOrEqual(0n);
    expect(E - BigInt(paid)).toBeLessThan(BigInt(before.n));
    const total = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
    const ownerCut = pendingOwnerCut + BigInt(split.ownerCut);
    expect(total(after.alphaStake) - total(before.alphaStake)).toBe(BigInt(paid) + ownerCut);
    expect(BigInt(String(await query('pendingEmission', netuid)))).toBeLessThan(E);
  });

  describe('invalid calls fail with the real pallet error and change nothing', () => {
    // No more epochs from here on, so "nothing changed" compares like with like.
    beforeAll(async () => {
      await sudoSetHyperparameters(client, alice(), netuid, { tempo: 10_000 });
    });

    it('set_weights without a validator permit: NeuronNoValidatorPermit', async () => {
      const miner = uids[2]!;
      const row = (await getMetagraph(client, netuid)).weights[miner];
      await expectDispatchError(setWeights(client, hotkeys[2]!, netuid, new Map([[uids[3]!, 1], [uids[4]!, 1], [uids[5]!, 1]])), 'SubtensorModule', 'NeuronNoValidatorPermit');
      const mg = await getMetagraph(client, netuid);
      expect(mg.weights[miner]).toEqual(row);
      expect(mg.lastUpdate[miner]).toBe(mg.blockAtRegistration[miner]);
    });

    it('set_weights with a version key below WeightsVersionKey: IncorrectWeightVersionKey', async () => {
      const validator = keypairFromUri('//Crucible//hot1');
      const before = await getMetagraph(client, netuid);
      await expectDispatchError(
        submitExtrinsic(client, validator, client.api.tx['subtensorModule']!['setWeights']!(netuid, [uids[2]!, uids[3]!, uids[4]!], [1, 1, 1], 4n)),
        'SubtensorModule',
        'IncorrectWeightVersionKey',
      );
      const after = await getMetagraph(client, netuid);
      expect(after.weights[uids[1]!]).toEqual(before.weights[uids[1]!]);
      expect(after.lastUpdate[uids[1]!]).toBe(before.lastUpdate[uids[1]!]);
    });

    it('set_weights within WeightsSetRateLimit: SettingWeightsTooFast (the client reports RATE_LIMITED without sending)', async () => {
      await sudoSetHyperparameters(client, alice(), netuid, { weightsSetRateLimit: 1000n });
      const before = await getMetagraph(client, netuid);
      const result = await setWeights(client, hotkeys[0]!, netuid, new Map([[uids[2]!, 1], [uids[3]!, 1], [uids[4]!, 1]]));
      expect(result).toMatchObject({ status: 'RATE_LIMITED', lastUpdate: before.lastUpdate[uids[0]!] });
      await expectDispatchError(
        submitExtrinsic(client, hotkeys[0]!, client.api.tx['subtensorModule']!['setWeights']!(netuid, [uids[2]!, uids[3]!, uids[4]!], [1, 1, 1], 5n)),
        'SubtensorModule',
        'SettingWeightsTooFast',
      );
      expect((await getMetagraph(client, netuid)).weights[uids[0]!]).toEqual(before.weights[uids[0]!]);
    });

    it('too few weights (WeightVecLengthIsLow) and an unknown uid (UidVecContainInvalidOne)', async () => {
      // Lift the rate limit so these calls reach the length and uid checks.
      await sudoSetHyperparameters(client, alice(), netuid, { weightsSetRateLimit: 0n });
      const before = await getMetagraph(client, netuid);
      const tx = (dests: number[]) => client.api.tx['subtensorModule']!['setWeights']!(netuid, dests, dests.map(() => 1), 5n);
      await expectDispatchError(submitExtrinsic(client, hotkeys[0]!, tx([uids[2]!, uids[3]!])), 'SubtensorModule', 'WeightVecLengthIsLow');
      await expectDispatchError(submitExtrinsic(client, hotkeys[0]!, tx([uids[2]!, uids[3]!, 50])), 'SubtensorModule', 'UidVecContainInvalidOne');
      const after = await getMetagraph(client, netuid);
      expect(after.weights[uids[0]!]).toEqual(before.weights[uids[0]!]);
      expect(after.lastUpdate[uids[0]!]).toBe(before.lastUpdate[uids[0]!]);
    });

    it('registration into a full subnet of immune neurons: NoNeuronIdAvailable', async () => {
      const newcomer = keypairFromUri('//Crucible//late');
      const balance = await getBalance(client, coldkeys[7]!.address);
      await expectDispatchError(burnedRegister(client, coldkeys[7]!, netuid, newcomer.address), 'SubtensorModule', 'NoNeuronIdAvailable');
      const mg = await getMetagraph(client, netuid);
      expect(mg.n).toBe(9);
      expect(mg.hotkeys).not.toContain(newcomer.address);
      expect(await getBalance(client, coldkeys[7]!.address)).toBe(balance);
    });

    it('staking more than the free balance: NotEnoughBalanceToStake; unstaking more than owned: NotEnoughStakeToWithdraw', async () => {
      const poor = keypairFromUri('//Crucible//poor');
      await transfer(client, alice(), poor.address, 2n * TAO);
      const stakeBefore = (await getMetagraph(client, netuid)).alphaStake[uids[0]!];
      await expectDispatchError(addStake(client, poor, hotkeys[0]!.address, netuid, 5n * TAO), 'SubtensorModule', 'NotEnoughBalanceToStake');
      await expectDispatchError(removeStake(client, poor, hotkeys[0]!.address, netuid, TAO), 'SubtensorModule', 'NotEnoughStakeToWithdraw');
      expect(await getBalance(client, poor.address)).toBe(2n * TAO);
      expect((await getMetagraph(client, netuid)).alphaStake[uids[0]!]).toBe(stakeBefore);
    });
  });

  it('publishes a commitment and reads it back; a second one within the rate limit fails', async () => {
    const pointer = Uint8Array.from(Buffer.from('a bucket pointer, as @crucible/storage encodes one'));
    const receipt = await setCommitment(client, hotkeys[2]!, netuid, pointer);
    expect(receipt.events.map((e) => e.name)).toContain('commitments.Commitment');
    const stored = await getCommitment(client, netuid, hotkeys[2]!.address);
    expect(stored?.block).toBe(receipt.blockNumber);
    expect(stored!.data).toEqual(pointer);
    const mg = await getMetagraph(client, netuid);
    expect(mg.commitments[uids[2]!]!.data).toEqual(pointer);
    const rows = await readNeuronRows(client, netuid);
    expect(rows[uids[2]!]!.commitment?.data).toEqual(pointer);
    await expectDispatchError(setCommitment(client, hotkeys[2]!, netuid, Uint8Array.of(1)), 'Commitments', 'CommitmentSetRateLimitExceeded');
    await expectDispatchError(setCommitment(client, keypairFromUri('//Crucible//late'), netuid, Uint8Array.of(1)), 'Commitments', 'AccountNotAllowedCommit');
  });

  it('maps a pool rejection to CHAIN_INVALID_TRANSACTION or a dispatch error, never a bare Error', async () => {
    const nobody = keypairFromUri('//Crucible//nobody');
    try {
      await addStake(client, nobody, hotkeys[0]!.address, netuid, TAO);
      expect.fail('should fail');
    } catch (e) {
      expect(isCrucibleError(e)).toBe(true);
    }
  });
});
