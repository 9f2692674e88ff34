/**
 * Hash commit-reveal (CRv2) at spec 424 (`subnets/weights.rs`): `commit_weights` stores
 * `(hash, commit_epoch, commit_block, 0)` in `WeightCommits[netuid][hotkey]` and sets LastUpdate;
 * `reveal_weights` is accepted only in epoch `commit_epoch + RevealPeriodEpochs` (the epoch index is
 * `SubnetEpochIndex`, plus one on a block where an epoch is still due), removes the revealed commit and
 * every older one, and sets the weights.
 *
 * hash = BlakeTwo256(SCALE(hotkey AccountId32, netuid u16, uids Vec<u16>, values Vec<u16>,
 *                          salt Vec<u16>, version_key u64))
 */
import type { Codec } from '@polkadot/types/types';
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { epochIndexAt } from './epochSchedule.js';
import { subnetExists, uidOf } from './neurons.js';
import { big, flag } from './read.js';
import { applyWeights, passesWeightsRateLimit } from './setWeights.js';
import { CommitRevealWeightsEnabled, LastUpdate, RevealPeriodEpochs, WeightCommits } from './subtensorStorage.js';
import { readBigints, setAt } from './vectors.js';

/** At most this many unrevealed commits per hotkey and subnet. */
const MAX_UNREVEALED = 10;

function u16Vec(values: readonly number[]): Uint8Array {
  const body = new Uint8Array(values.length * 2);
  values.forEach((v, i) => new DataView(body.buffer).setUint16(i * 2, v, true));
  return u8aConcat(compactToU8a(values.length), body);
}

/** `get_commit_hash`. */
export function commitHash(hotkey: AccountId, netuid: number, uids: readonly number[], values: readonly number[], salt: readonly number[], versionKey: bigint): Uint8Array {
  const netuidBytes = Uint8Array.of(netuid & 0xff, netuid >> 8);
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, versionKey, true);
  return blake2AsU8a(u8aConcat(hotkey, netuidBytes, u16Vec(uids), u16Vec(values), u16Vec(salt), key), 256);
}

export interface StoredCommit {
  readonly hash: Uint8Array;
  readonly epoch: bigint;
  readonly block: bigint;
}

export function readCommits(s: StorageAccess, netuid: number, hotkey: AccountId): StoredCommit[] {
  const v = s.tryGet(WeightCommits, [netuid, hotkey]);
  if (v === undefined) return [];
  return (v as unknown as Codec[]).map((entry) => {
    const [hash, epoch, block] = entry as unknown as [Codec, Codec, Codec];
    return { hash: hash.toU8a(), epoch: BigInt(epoch.toString()), block: BigInt(block.toString()) };
  });
}

function writeCommits(s: StorageAccess, netuid: number, hotkey: AccountId, commits: readonly StoredCommit[]): void {
  if (commits.length === 0) s.remove(WeightCommits, [netuid, hotkey]);
  else s.set(WeightCommits, [netuid, hotkey], commits.map((c) => [c.hash, c.epoch, c.block, 0n]));
}

export function isCommitExpired(s: StorageAccess, netuid: number, block: number, commitEpoch: bigint): boolean {
  return epochIndexAt(s, netuid, block) > commitEpoch + big(s, RevealPeriodEpochs, [netuid]);
}

export function isRevealEpoch(s: StorageAccess, netuid: number, block: number, commitEpoch: bigint): boolean {
  return epochIndexAt(s, netuid, block) === commitEpoch + big(s, RevealPeriodEpochs, [netuid]);
}

export function commitWeights(ctx: DispatchContext, netuid: number, hash: Uint8Array): void {
  const s = ctx.storage;
  if (!subnetExists(s, netuid)) throw ctx.error('MechanismDoesNotExist');
  const who = ctx.ensureSigned();
  if (!flag(s, CommitRevealWeightsEnabled, [netuid])) throw ctx.error('CommitRevealDisabled');
  const uid = uidOf(s, netuid, who);
  if (uid === undefined) throw ctx.error('HotKeyNotRegisteredInSubNet');
  if (!passesWeightsRateLimit(s, netuid, uid, ctx.blockNumber)) throw ctx.error('CommittingWeightsTooFast');
  const epoch = epochIndexAt(s, netuid, ctx.blockNumber);
  const commits = readCommits(s, netuid, who);
  while (commits.length > 0 && isCommitExpired(s, netuid, ctx.blockNumber, (commits[0] as StoredCommit).epoch)) commits.shift();
  if (commits.length >= MAX_UNREVEALED) throw ctx.error('TooManyUnrevealedCommits');
  commits.push({ hash, epoch, block: BigInt(ctx.blockNumber) });
  writeCommits(s, netuid, who, commits);
  ctx.emit('WeightsCommitted', [who, netuid, hash]);
  s.set(LastUpdate, [netuid], setAt(readBigints(s, LastUpdate, netuid), uid, BigInt(ctx.blockNumber), 0n));
}

export interface Reveal {
  readonly uids: number[];
  readonly values: number[];
  readonly salt: number[];
  readonly versionKey: bigint;
}

export function revealWeights(ctx: DispatchContext, netuid: number, r: Reveal): void {
  const s = ctx.storage;
  const who = ctx.ensureSigned();
  if (!flag(s, CommitRevealWeightsEnabled, [netuid])) throw ctx.error('CommitRevealDisabled');
  const commits = readCommits(s, netuid, who);
  if (s.tryGet(WeightCommits, [netuid, who]) === undefined) throw ctx.error('NoWeightsCommitFound');
  const expired: string[] = [];
  while (commits.length > 0 && isCommitExpired(s, netuid, ctx.blockNumber, (commits[0] as StoredCommit).epoch)) {
    expired.push(Buffer.from((commits.shift() as StoredCommit).hash).toString('hex'));
  }
  const hash = commitHash(who, netuid, r.uids, r.values, r.salt, r.versionKey);
  const hex = Buffer.from(hash).toString('hex');
  if (commits.length === 0) throw ctx.error(expired.includes(hex) ? 'ExpiredWeightCommit' : 'NoWeightsCommitFound');
  const position = commits.findIndex((c) => Buffer.from(c.hash).toString('hex') === hex);
  if (position < 0) throw ctx.error(expired.includes(hex) ? 'ExpiredWeightCommit' : 'InvalidRevealCommitHashNotMatch');
  if (!isRevealEpoch(s, netuid, ctx.blockNumber, (commits[position] as StoredCommit).epoch)) throw ctx.error('RevealTooEarly');
  writeCommits(s, netuid, who, commits.slice(position + 1));
  applyWeights(ctx, netuid, r.uids, r.values, r.versionKey);
  ctx.emit('WeightsRevealed', [who, netuid, hash]);
}
