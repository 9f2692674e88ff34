/**
 * The client against the spec-424 devnet, through the same code that talks to finney: the owner's
 * commands (start, owner setters, root-only ones refused), limit variants, weights by commit-reveal
 * with salts that survive a restart, consensus stake with childkey inheritance (and the election that
 * reads it), BigRaw commitments.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, cryptoReady, isCrucibleError, keypairFromUri, type Keypair } from '@crucible/core';
import { startDevnet, type Devnet } from '../node/devnet.js';
import { getBalance, transfer } from './balances.js';
import { callOf } from './chainApi.js';
import { getCommitment, setCommitment } from './commitments.js';
import { connectChain, type ChainClient } from './connect.js';
import { consensusStake } from './consensusStake.js';
import { getMetagraph } from './metagraph.js';
import { burnedRegister, registerLimit, registerNetwork } from './register.js';
import { addStake, addStakeLimit, removeStakeLimit } from './stake.js';
import { isDispatchError, submitExtrinsic } from './submit.js';
import { revealDueWeights, submitWeights } from './submitWeights.js';
import { setSubnetHyperparameters, startSubnet } from './subnetOwner.js';
import { sudoCall, sudoSetHyperparameters } from './sudo.js';
import { readElectionState } from './subnetReads.js';
import { jsonFileCommitStore } from './weightCommitStore.js';

const TAO = 1_000_000_000n;
const TEMPO = 10;
const alice = () => keypairFromUri('//Alice');
let devnet: Devnet;
let client: ChainClient;
let netuid: number;
const owner = keypairFromUri('//Subnet//owner');
const ownerHot = keypairFromUri('//Subnet//owner-hot');
const validators = [keypairFromUri('//Subnet//v0'), keypairFromUri('//Subnet//v1')];
const miner = keypairFromUri('//Subnet//miner');
const cold = keypairFromUri('//Subnet//cold');
let dir: string;

async function waitForEpochs(count: number): Promise<void> {
  const q = client.api.query['subtensorModule']?.['subnetEpochIndex'];
  const start = Number((await q!(netuid)).toString());
  while (Number((await q!(netuid)).toString()) < start + count) await new Promise((r) => setTimeout(r, 100));
}

async function expectDispatchError(p: Promise<unknown>, pallet: string, error: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => isDispatchError(e, pallet, error));
}

beforeAll(async () => {
  await cryptoReady();
  dir = mkdtempSync(join(tmpdir(), 'crucible-commits-'));
  devnet = await startDevnet({ port: 0, tmp: true, blockTimeMs: 120, logger: createLogger({ name: 'chain', level: 'error' }) });
  client = await connectChain({ endpoint: devnet.endpoint });
  for (const k of [owner, cold]) await transfer(client, alice(), k.address, 5_000n * TAO);
  ({ netuid } = await registerNetwork(client, owner, ownerHot.address));
}, 60_000);
afterAll(async () => {
  await client?.close();
  await devnet?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the subnet owner', () => {
  it('is told plainly that root-only parameters need the sudo key, and that its tempo is bounded', async () => {
    const rootOnly = setSubnetHyperparameters(client, owner, netuid, { minAllowedWeights: 1, weightsSetRateLimit: 0n, kappa: 100 });
    await expect(rootOnly).rejects.toSatisfy((e: unknown) => isCrucibleError(e, 'USAGE') && /weightsSetRateLimit, kappa are root-only/.test((e as Error).message));
    await expect(setSubnetHyperparameters(client, owner, netuid, { tempo: 20 })).rejects.toSatisfy((e: unknown) => isCrucibleError(e, 'USAGE'));
  });

  it('sets owner parameters by signing AdminUtils directly, and only the owner may', async () => {
    await setSubnetHyperparameters(client, owner, netuid, { immunityPeriod: 100, minAllowedWeights: 1 });
    const hp = (await getMetagraph(client, netuid)).hyperparameters;
    expect(hp.immunityPeriod).toBe(100);
    const direct = callOf(client.api, 'adminUtils', 'sudoSetImmunityPeriod')(netuid, 50);
    await expect(submitExtrinsic(client, cold, direct)).rejects.toSatisfy((e: unknown) => isCrucibleError(e, 'CHAIN_DISPATCH') && (e as unknown as { details: { error: string } }).details.error === 'BadOrigin');
  });

  it('must start the subnet before anyone can stake', async () => {
    await burnedRegister(client, cold, netuid, validators[0]!.address);
    await expectDispatchError(addStake(client, cold, validators[0]!.address, netuid, TAO), 'SubtensorModule', 'SubtokenDisabled');
    // The devnet's sudo shortens the epochs (root-only) and the freeze window for the test.
    await sudoCall(client, alice(), 'adminUtils', 'sudoSetAdminFreezeWindow', [2]);
    await sudoSetHyperparameters(client, alice(), netuid, { tempo: TEMPO, weightsSetRateLimit: 0n });
    const started = await startSubnet(client, owner, netuid);
    expect(started.firstEmissionBlock).toBe(started.blockNumber + 1);
    await addStake(client, cold, validators[0]!.address, netuid, 100n * TAO);
  });
});

describe('limit variants', () => {
  it('register_limit refuses a price above the limit; add_stake_limit and remove_stake_limit respect theirs', async () => {
    const burn = (await getMetagraph(client, netuid)).hyperparameters.burn;
    await expectDispatchError(registerLimit(client, cold, netuid, validators[1]!.address, burn / 2n), 'SubtensorModule', 'RegistrationPriceLimitExceeded');
    await registerLimit(client, cold, netuid, validators[1]!.address, burn * 2n);
    await burnedRegister(client, cold, netuid, miner.address);
    // The alpha price (rao per alpha) from the pool reserves.
    const q = (item: string) => client.api.query['subtensorModule']![item]!(netuid);
    const price = (BigInt((await q('subnetTAO')).toString()) * TAO) / BigInt((await q('subnetAlphaIn')).toString());
    await expectDispatchError(addStakeLimit(client, cold, validators[1]!.address, netuid, 500n * TAO, price / 2n), 'SubtensorModule', 'SlippageTooHigh');
    const partial = await addStakeLimit(client, cold, validators[1]!.address, netuid, 500n * TAO, (price * 6n) / 5n, { allowPartial: true });
    const staked = partial.events.find((e) => e.name === 'subtensorModule.StakeAdded')?.data[2];
    expect(BigInt(String(staked))).toBeLessThan(500n * TAO);
    expect(BigInt(String(staked))).toBeGreaterThan(0n);
    await expectDispatchError(removeStakeLimit(client, cold, validators[1]!.address, netuid, TAO, price * 2n), 'SubtensorModule', 'SlippageTooHigh');
  });
});

describe('weights under commit-reveal', () => {
  it('commits, then reveals in the next epoch with the salt kept in a file across a restart, and the miner is paid', async () => {
    const path = join(dir, 'commits.json');
    const v0 = validators[0] as Keypair;
    await waitForEpochs(1); // permits
    const first = await submitWeights(client, v0, netuid, new Map([[3, 1]]), { store: jsonFileCommitStore(path) });
    expect(first.mode).toBe('commit_reveal');
    if (first.mode !== 'commit_reveal') return;
    expect(first.commit.status).toBe('COMMITTED');
    // A new store object over the same file: the validator restarted.
    const again = await submitWeights(client, v0, netuid, new Map([[3, 1]]), { store: jsonFileCommitStore(path) });
    expect(again.mode === 'commit_reveal' && again.commit.status).toBe('ALREADY_COMMITTED');
    await waitForEpochs(1);
    const later = await submitWeights(client, v0, netuid, new Map([[3, 1]]), { store: jsonFileCommitStore(path) });
    expect(later.mode === 'commit_reveal' && later.revealed.length).toBe(1);
    const mg = await getMetagraph(client, netuid);
    expect(mg.weights[1]).toEqual([[3, 65535]]);
    // The next epoch pays the miner the validator revealed for, and the validator its dividends.
    const before = mg.alphaStake[3] ?? 0n;
    await waitForEpochs(1);
    const paid = await getMetagraph(client, netuid);
    expect(paid.incentive[3]).toBeGreaterThan(0);
    expect(paid.alphaStake[3] ?? 0n).toBeGreaterThan(before);
    expect(paid.dividends[1]).toBeGreaterThan(0);
  });

  it('reveals a commit on its own once its reveal epoch comes (what a validator calls on every block)', async () => {
    const path = join(dir, 'commits-by-block.json');
    const v0 = validators[0] as Keypair;
    await waitForEpochs(1);
    const committed = await submitWeights(client, v0, netuid, new Map([[3, 1], [2, 1]]), { store: jsonFileCommitStore(path) });
    expect(committed.mode === 'commit_reveal' && committed.commit.status).toBe('COMMITTED');
    // Not due yet: nothing sent, the commit kept.
    expect(await revealDueWeights(client, v0, netuid, { store: jsonFileCommitStore(path) })).toEqual({ revealed: 0, expired: 0, pending: 1 });
    await waitForEpochs(1);
    expect(await revealDueWeights(client, v0, netuid, { store: jsonFileCommitStore(path) })).toEqual({ revealed: 1, expired: 0, pending: 0 });
    expect(await jsonFileCommitStore(path).load()).toEqual([]);
    expect(new Map((await getMetagraph(client, netuid)).weights[1]).get(2)).toBeGreaterThan(0);
  });

  it('sets weights directly when the owner turned commit-reveal off', async () => {
    await setSubnetHyperparameters(client, owner, netuid, { commitRevealWeightsEnabled: false });
    const r = await submitWeights(client, validators[0]!, netuid, new Map([[2, 1], [3, 1]]), { store: jsonFileCommitStore(join(dir, 'unused.json')) });
    expect(r.mode).toBe('set_weights');
    expect(r.mode === 'set_weights' && r.result.status).toBe('SET');
  });
});

describe('consensus stake', () => {
  it('includes what a parent lends through childkeys, and the election follows it', async () => {
    const [v0, v1] = validators as [Keypair, Keypair];
    await sudoCall(client, alice(), 'subtensorModule', 'setPendingChildkeyCooldown', [0]);
    await submitExtrinsic(client, cold, callOf(client.api, 'subtensorModule', 'setChildren')(v0.address, netuid, [[(1n << 64n) - 1n, v1.address]]));
    await waitForEpochs(2);
    const mg = await getMetagraph(client, netuid);
    const uid0 = mg.hotkeys.indexOf(v0.address);
    const uid1 = mg.hotkeys.indexOf(v1.address);
    expect(mg.alphaStake[uid0]!).toBeGreaterThan(mg.alphaStake[uid1]!);
    expect(mg.stake[uid0]).toBe(0n);
    expect(mg.stake[uid1]!).toBeGreaterThan(mg.alphaStake[uid0]!);
    expect((await consensusStake(client, netuid)).total).toEqual(mg.stake);
    // What the aggregator election reads (@crucible/protocol elects the permitted uid with the most).
    const election = await readElectionState(client, netuid);
    expect(election.stake).toEqual(mg.stake);
    expect(election.hotkeys[uid1]).toBe(v1.address);
    expect(election.validatorPermit[uid1]).toBe(true);
  });
});

describe('commitments', () => {
  it('publishes a pointer over 128 bytes as BigRaw and reads it back', async () => {
    const data = new Uint8Array(300).map((_, i) => i % 251);
    await setCommitment(client, miner, netuid, data);
    const read = await getCommitment(client, netuid, miner.address);
    expect(read?.data).toEqual(data);
    expect(await getBalance(client, miner.address)).toBe(0n);
  });
});
