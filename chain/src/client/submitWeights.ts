/**
 * One entry for a validator's weights, whatever the subnet's setting: `set_weights` when commit-reveal
 * is off, otherwise reveal what is due and commit the new weights (once per epoch, within the rate
 * limit), keeping every salt in the caller's store until its reveal lands.
 */
import { CrucibleError, isCrucibleError, type Keypair } from '@crucible/core';
import { storageEntry, toBigInt } from './chainApi.js';
import { commitRevealState, commitWeights, randomSalt, revealWeights, weightsCommitHash, type CommitRevealState } from './commitReveal.js';
import type { ChainClient } from './connect.js';
import type { TxReceipt } from './submit.js';
import type { PendingCommit, WeightCommitStore } from './weightCommitStore.js';
import { prepareWeights, setWeights, type SetWeightsResult } from './weights.js';

export type CommitOutcome =
  | { status: 'COMMITTED'; commit: PendingCommit; receipt: TxReceipt; revealEpoch: number }
  /** A commit of this epoch is already waiting: the chain reveals only the newest per epoch anyway. */
  | { status: 'ALREADY_COMMITTED'; epoch: number }
  /** WeightsSetRateLimit has not passed since the last commit; nothing was sent. */
  | { status: 'RATE_LIMITED'; nextBlock: number };

export type SubmitWeightsResult =
  | { mode: 'set_weights'; result: SetWeightsResult }
  | {
      mode: 'commit_reveal';
      revealed: Array<{ commit: PendingCommit; receipt: TxReceipt }>;
      /** Commits whose reveal epoch passed (or the chain no longer holds): dropped from the store. */
      expired: PendingCommit[];
      commit: CommitOutcome;
    };

export interface SubmitWeightsOptions {
  /** Where unrevealed commits (with their salts) are kept; required when commit-reveal is on. */
  store: WeightCommitStore;
  /** Default: the subnet's WeightsVersionKey. */
  versionKey?: bigint;
}

/** Reveals the newest commit due now and drops expired ones; returns what it did and what is still pending. */
async function revealDue(client: ChainClient, hotkey: Keypair, state: CommitRevealState, mine: PendingCommit[]) {
  // The chain's record is the truth (a commit stored just before a crash carries an estimated epoch).
  const onChain = new Map(state.chainCommits.map((c) => [c.hash, c]));
  const known = mine.map((c) => {
    const chain = onChain.get(c.hash as `0x${string}`);
    return chain === undefined ? c : { ...c, commitEpoch: chain.epoch, commitBlock: chain.block };
  });
  const expired = known.filter((c) => !onChain.has(c.hash as `0x${string}`) || state.epoch > c.commitEpoch + state.revealPeriodEpochs);
  const live = known.filter((c) => !expired.includes(c));
  const due = live.filter((c) => state.epoch === c.commitEpoch + state.revealPeriodEpochs);
  const revealed: Array<{ commit: PendingCommit; receipt: TxReceipt }> = [];
  const newest = due.at(-1);
  if (newest !== undefined) {
    revealed.push({ commit: newest, receipt: await revealWeights(client, hotkey, newest) });
  }
  // Revealing a commit removes it and every older one from the chain.
  const cut = newest === undefined ? -1 : live.indexOf(newest);
  return { revealed, expired, pending: live.slice(cut + 1) };
}

/** Whether a stored commit is this hotkey's on this subnet (the store holds every hotkey's). */
function commitOf(netuid: number, hotkey: Keypair): (c: PendingCommit) => boolean {
  return (c) => c.netuid === netuid && c.hotkey === hotkey.address;
}

/**
 * The reveal half of commit-reveal against the caller's store: reveals this hotkey's commit due now,
 * drops expired ones and saves what is still pending (other hotkeys' commits untouched).
 */
async function revealFromStore(client: ChainClient, hotkey: Keypair, netuid: number, state: CommitRevealState, store: WeightCommitStore, all: PendingCommit[]) {
  const isMine = commitOf(netuid, hotkey);
  const others = all.filter((c) => !isMine(c));
  const mine = all.filter(isMine);
  const result = await revealDue(client, hotkey, state, mine);
  // Saved when anything changed: revealed, expired, or an epoch corrected from the chain's record.
  if (JSON.stringify(result.pending) !== JSON.stringify(mine)) await store.save([...others, ...result.pending]);
  return { ...result, others };
}

/**
 * Reveals this hotkey's commit whose reveal epoch is now, if any (commit-reveal on), and drops expired
 * ones. A reveal is accepted only during one epoch; a validator calls this as blocks arrive so a reveal
 * does not wait for its next weight-setting (which may come after that epoch).
 */
export async function revealDueWeights(client: ChainClient, hotkey: Keypair, netuid: number, options: { store: WeightCommitStore }): Promise<{ revealed: number; expired: number; pending: number }> {
  // Nothing of this hotkey's waiting: no chain reads (this runs on every block).
  const all = await options.store.load();
  const waiting = all.filter(commitOf(netuid, hotkey)).length;
  if (waiting === 0) return { revealed: 0, expired: 0, pending: 0 };
  const state = await commitRevealState(client, netuid, hotkey.address);
  if (!state.enabled) return { revealed: 0, expired: 0, pending: waiting };
  const { revealed, expired, pending } = await revealFromStore(client, hotkey, netuid, state, options.store, all);
  return { revealed: revealed.length, expired: expired.length, pending: pending.length };
}

export async function submitWeights(
  client: ChainClient,
  hotkey: Keypair,
  netuid: number,
  scores: ReadonlyMap<number, number>,
  options: SubmitWeightsOptions,
): Promise<SubmitWeightsResult> {
  const state = await commitRevealState(client, netuid, hotkey.address);
  if (!state.enabled) {
    const setOptions = options.versionKey === undefined ? {} : { versionKey: options.versionKey };
    return { mode: 'set_weights', result: await setWeights(client, hotkey, netuid, scores, setOptions) };
  }
  const { revealed, expired, pending, others } = await revealFromStore(client, hotkey, netuid, state, options.store, await options.store.load());
  const commit = await commitIfDue(client, hotkey, netuid, scores, state, pending, options);
  if (commit.status === 'COMMITTED') await options.store.save([...others, ...pending, commit.commit]);
  return { mode: 'commit_reveal', revealed, expired, commit };
}

async function commitIfDue(
  client: ChainClient,
  hotkey: Keypair,
  netuid: number,
  scores: ReadonlyMap<number, number>,
  state: CommitRevealState,
  pending: PendingCommit[],
  options: SubmitWeightsOptions,
): Promise<CommitOutcome> {
  if (pending.some((c) => c.commitEpoch === state.epoch)) return { status: 'ALREADY_COMMITTED', epoch: state.epoch };
  if (state.lastUpdate !== 0 && state.block - state.lastUpdate < state.weightsSetRateLimit) {
    return { status: 'RATE_LIMITED', nextBlock: state.lastUpdate + state.weightsSetRateLimit };
  }
  const { dests, weights } = prepareWeights(scores);
  const versionKey = options.versionKey ?? toBigInt(await storageEntry(client.api, 'subtensorModule', 'weightsVersionKey')(netuid));
  const salt = randomSalt();
  // The salt is durable before the commit leaves: a crash between the two must not orphan the commit.
  const provisional: PendingCommit = {
    netuid,
    hotkey: hotkey.address,
    hash: weightsCommitHash(hotkey.address, netuid, dests, weights, salt, versionKey),
    uids: dests,
    values: weights,
    salt,
    versionKey: versionKey.toString(),
    commitBlock: state.block,
    commitEpoch: state.epoch,
  };
  const all = await options.store.load();
  await options.store.save([...all, provisional]);
  try {
    const { receipt, commit } = await commitWeights(client, hotkey, netuid, { uids: dests, values: weights, salt, versionKey });
    return { status: 'COMMITTED', commit, receipt, revealEpoch: commit.commitEpoch + state.revealPeriodEpochs };
  } catch (error) {
    await options.store.save(all);
    if (isCrucibleError(error, 'CHAIN_INVALID_TRANSACTION') && error.details['customError'] === 6) {
      return { status: 'RATE_LIMITED', nextBlock: state.lastUpdate + state.weightsSetRateLimit };
    }
    throw error instanceof CrucibleError ? error : new CrucibleError('INTERNAL', 'committing weights failed', { cause: error });
  }
}
