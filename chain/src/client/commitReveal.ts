/**
 * Hash commit-reveal of weights (CRv2) as Bittensor runs it at spec 424, on by default for every subnet:
 *
 * - commit `BlakeTwo256(SCALE(hotkey, netuid, uids, values, salt, version_key))` with `commit_weights`
 *   (at most once per WeightsSetRateLimit; it also keeps the validator's LastUpdate fresh);
 * - reveal `(uids, values, salt, version_key)` with `reveal_weights` in epoch commit_epoch +
 *   RevealPeriodEpochs exactly — the chain refuses earlier (RevealTooEarly / pool code 17) and drops
 *   the commit after that epoch.
 *
 * The epoch index is the chain's `SubnetEpochIndex`, plus one when an epoch is due at the block the
 * extrinsic executes in (the next one). Salts are kept in a `WeightCommitStore` before the commit is
 * sent, so a restart can still reveal.
 *
 * The drand-timelocked form (CRv4, `commit_timelocked_weights`) is not built: its ciphertext format
 * (tlock over BLS12-381 with arkworks serialization) cannot be checked here against upstream vectors.
 */
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';
import { randomBytes } from 'node:crypto';
import type { Codec } from '@polkadot/types/types';
import type { Keypair } from '@crucible/core';
import { callOf, storageEntry, toNumber, unwrapOption, vecOf } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';
import type { PendingCommit } from './weightCommitStore.js';

/** A commit's salt: eight random u16 values, as the Python SDK uses. */
export function randomSalt(length = 8): number[] {
  const bytes = randomBytes(length * 2);
  return Array.from({ length }, (_, i) => bytes.readUInt16LE(i * 2));
}

function u16Vec(values: readonly number[]): Uint8Array {
  const body = new Uint8Array(values.length * 2);
  values.forEach((v, i) => new DataView(body.buffer).setUint16(i * 2, v, true));
  return u8aConcat(compactToU8a(values.length), body);
}

/** `get_commit_hash` (subtensor `subnets/weights.rs`): the hash `commit_weights` stores. */
export function weightsCommitHash(hotkey: string | Uint8Array, netuid: number, uids: readonly number[], values: readonly number[], salt: readonly number[], versionKey: bigint): `0x${string}` {
  const account = typeof hotkey === 'string' ? decodeAddress(hotkey) : hotkey;
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, versionKey, true);
  const preimage = u8aConcat(account, Uint8Array.of(netuid & 0xff, netuid >> 8), u16Vec(uids), u16Vec(values), u16Vec(salt), key);
  return u8aToHex(blake2AsU8a(preimage, 256));
}

/** What a validator must know to commit and reveal on a subnet, at the block its extrinsic will run in. */
export interface CommitRevealState {
  enabled: boolean;
  revealPeriodEpochs: number;
  weightsSetRateLimit: number;
  /** The epoch index an extrinsic in the next block belongs to. */
  epoch: number;
  /** The next block (where a transaction sent now lands). */
  block: number;
  /** The block at which the next epoch starts (LastEpochBlock + Tempo, or a pending trigger). */
  nextEpochBlock: number;
  /** Commits the chain holds for the hotkey: hash, commit epoch, commit block. */
  chainCommits: Array<{ hash: `0x${string}`; epoch: number; block: number }>;
  lastUpdate: number;
}

export async function commitRevealState(client: ChainClient, netuid: number, hotkey: string): Promise<CommitRevealState> {
  const { api } = client;
  const q = (item: string) => storageEntry(api, 'subtensorModule', item);
  const [enabled, period, rateLimit, tempoC, lastC, pendingC, indexC, sinceC, commitsC, uidC, lastUpdates, header] = await Promise.all([
    q('commitRevealWeightsEnabled')(netuid),
    q('revealPeriodEpochs')(netuid),
    q('weightsSetRateLimit')(netuid),
    q('tempo')(netuid),
    q('lastEpochBlock')(netuid),
    q('pendingEpochAt')(netuid),
    q('subnetEpochIndex')(netuid),
    q('blocksSinceLastStep')(netuid),
    q('weightCommits')(netuid, hotkey),
    q('uids')(netuid, hotkey),
    q('lastUpdate')(netuid),
    api.rpc.chain.getHeader(),
  ]);
  const block = header.number.toNumber() + 1;
  const tempo = toNumber(tempoC);
  const last = toNumber(lastC);
  const pending = toNumber(pendingC);
  // should_run_epoch at the next block (the chain's MaxTempo safety net included).
  const due = tempo > 0 && ((pending > 0 && block >= pending) || toNumber(sinceC) + 1 > 50_400 || block - last >= tempo);
  const commits = unwrapOption(commitsC);
  const uid = unwrapOption(uidC);
  return {
    enabled: enabled.toJSON() === true,
    revealPeriodEpochs: toNumber(period),
    weightsSetRateLimit: toNumber(rateLimit),
    epoch: toNumber(indexC) + (due ? 1 : 0),
    block,
    nextEpochBlock: pending > 0 ? Math.min(pending, last + tempo) : last + tempo,
    chainCommits: (commits === undefined ? [] : vecOf(commits)).map((c) => {
      const [hash, epoch, commitBlock] = vecOf(c);
      return { hash: (hash as Codec).toHex() as `0x${string}`, epoch: toNumber(epoch as Codec), block: toNumber(commitBlock as Codec) };
    }),
    lastUpdate: uid === undefined ? 0 : toNumber(vecOf(lastUpdates)[toNumber(uid)] ?? api.createType('u64', 0)),
  };
}

/** `commit_weights`; resolves with the epoch and block the chain recorded for the commit. */
export async function commitWeights(
  client: ChainClient,
  hotkey: Keypair,
  netuid: number,
  reveal: { uids: number[]; values: number[]; salt: number[]; versionKey: bigint },
): Promise<{ receipt: TxReceipt; commit: PendingCommit }> {
  const hash = weightsCommitHash(hotkey.address, netuid, reveal.uids, reveal.values, reveal.salt, reveal.versionKey);
  const receipt = await submitExtrinsic(client, hotkey, callOf(client.api, 'subtensorModule', 'commitWeights')(netuid, hash));
  const at = await client.api.at(receipt.blockHash);
  const onChain = unwrapOption(await storageEntry(at, 'subtensorModule', 'weightCommits')(netuid, hotkey.address));
  const stored = (onChain === undefined ? [] : vecOf(onChain)).map((c) => vecOf(c)).find((c) => (c[0] as Codec).toHex() === hash);
  return {
    receipt,
    commit: {
      netuid,
      hotkey: hotkey.address,
      hash,
      uids: reveal.uids,
      values: reveal.values,
      salt: reveal.salt,
      versionKey: reveal.versionKey.toString(),
      commitBlock: stored === undefined ? receipt.blockNumber : toNumber(stored[2] as Codec),
      commitEpoch: stored === undefined ? 0 : toNumber(stored[1] as Codec),
    },
  };
}

/** `reveal_weights` of a stored commit. */
export async function revealWeights(client: ChainClient, hotkey: Keypair, commit: PendingCommit): Promise<TxReceipt> {
  const call = callOf(client.api, 'subtensorModule', 'revealWeights')(commit.netuid, commit.uids, commit.values, commit.salt, BigInt(commit.versionKey));
  return submitExtrinsic(client, hotkey, call);
}

