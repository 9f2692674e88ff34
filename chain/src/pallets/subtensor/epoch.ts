/**
 * One subnet's epoch at spec 424 against storage (`epoch_mechanism` + `distribute_emission`): read the
 * inputs, run the pure `yumaEpoch`, write its results and pay the drained pending emission as stake.
 * Simplifications are listed in README.md beside this file.
 */
import type { Codec } from '@polkadot/types/types';
import type { DispatchContext } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { yumaEpoch, type SparseMatrix, type YumaInputs, type YumaOutputs } from '../../yuma/index.js';
import { accountOf } from './accounts.js';
import { dividendsToParents } from './childkeys.js';
import { epochIndexAt } from './epochSchedule.js';
import { hotkeyOf, ownerOf, ownerUid, subnetN, uidOf } from './neurons.js';
import { immuneOwnerUids } from './pruning.js';
import { addU64, big, flag, num } from './read.js';
import { creditHotkey, stakeInto } from './staking.js';
import { subnetConsensusStake } from './stakeWeight.js';
import {
  Active,
  ActivityCutoffFactorMilli,
  AlphaDividendsPerSubnet,
  BlockAtRegistration,
  Bonds,
  BondsMovingAverage,
  BondsPenalty,
  CommitRevealWeightsEnabled,
  Consensus,
  Delegates,
  Dividends,
  Emission,
  Incentive,
  Kappa,
  LastMechansimStepBlock,
  LastUpdate,
  MaxAllowedValidators,
  OwnedHotkeys,
  RevealPeriodEpochs,
  StakeThreshold,
  StakeWeight,
  SubnetAlphaOut,
  SubnetOwner,
  SubnetOwnerHotkey,
  Tempo,
  TotalHotkeyAlphaLastEpoch,
  TotalHotkeyAlpha,
  ValidatorPermit,
  ValidatorTrust,
  WeightCommits,
  Weights,
  Yuma3On,
} from './subtensorStorage.js';
import { readBigints, readBools } from './vectors.js';

function readMatrix(s: StorageAccess, item: typeof Weights, netuid: number, n: number): SparseMatrix {
  const rows: SparseMatrix = Array.from({ length: n }, () => []);
  for (const { keys, value } of s.entries(item, [netuid])) {
    const uid = Number((keys[1] as Codec).toString());
    if (uid >= n) continue;
    rows[uid] = (value as unknown as Codec[]).map((pair) => {
      const [j, w] = pair as unknown as [Codec, Codec];
      return [Number(j.toString()), Number(w.toString())] as [number, number];
    });
  }
  return rows;
}

/** `get_activity_cutoff_blocks`: max(1, ActivityCutoffFactorMilli · Tempo / 1000). */
export function activityCutoffBlocks(s: StorageAccess, netuid: number): number {
  return Math.max(1, Math.floor((num(s, ActivityCutoffFactorMilli, [netuid]) * num(s, Tempo, [netuid])) / 1000));
}

/** Each validator's earliest unexpired commit block (the commit-reveal column mask). */
function commitBlocks(s: StorageAccess, netuid: number, n: number, block: number): Array<number | undefined> {
  const out: Array<number | undefined> = Array.from({ length: n }, () => undefined);
  const current = epochIndexAt(s, netuid, block);
  const period = big(s, RevealPeriodEpochs, [netuid]);
  for (const { keys, value } of s.entries(WeightCommits, [netuid])) {
    const uid = uidOf(s, netuid, accountOf(keys[1] as Codec));
    if (uid === undefined) continue;
    for (const entry of value as unknown as Codec[]) {
      const [, epoch, commitBlock] = entry as unknown as [Codec, Codec, Codec];
      if (current > BigInt(epoch.toString()) + period) continue;
      out[uid] = Math.min(out[uid] ?? Number.MAX_SAFE_INTEGER, Number(commitBlock.toString()));
      break;
    }
  }
  return out;
}

/** The block after the previous epoch (`LastMechansimStepBlock + 1`), or `block − tempo` before the first. */
function lastTempo(s: StorageAccess, netuid: number, block: number): number {
  const lms = num(s, LastMechansimStepBlock, [netuid]);
  return lms === 0 ? Math.max(0, block - num(s, Tempo, [netuid])) : lms + 1;
}

/** The epoch's inputs as storage holds them now; `emission` is the pending alpha being drained. */
export function readEpochInputs(s: StorageAccess, netuid: number, block: number, emission: bigint): YumaInputs {
  const n = subnetN(s, netuid);
  const owner = ownerUid(s, netuid);
  const threshold = big(s, StakeThreshold);
  const stake = subnetConsensusStake(s, netuid).map((c, uid) => (uid !== owner && c.totalRao < threshold ? 0 : Number(c.total.bits) / 2 ** 32));
  return {
    block,
    stake,
    lastUpdate: readBigints(s, LastUpdate, netuid).map(Number),
    blockAtRegistration: Array.from({ length: n }, (_, uid) => num(s, BlockAtRegistration, [netuid, uid])),
    validatorPermit: readBools(s, ValidatorPermit, netuid),
    weights: readMatrix(s, Weights, netuid, n),
    bonds: readMatrix(s, Bonds, netuid, n),
    emission: Number(emission),
    params: {
      activityCutoff: activityCutoffBlocks(s, netuid),
      maxAllowedValidators: num(s, MaxAllowedValidators, [netuid]),
      kappa: num(s, Kappa, [netuid]),
      bondsMovingAverage: num(s, BondsMovingAverage, [netuid]),
      bondsPenalty: num(s, BondsPenalty, [netuid]),
      yuma3: flag(s, Yuma3On, [netuid]),
    },
    lastTempo: lastTempo(s, netuid, block),
    ownerUid: owner,
    ...(flag(s, CommitRevealWeightsEnabled, [netuid]) ? { commitBlock: commitBlocks(s, netuid, n, block) } : {}),
  };
}

function writeOutputs(s: StorageAccess, netuid: number, out: YumaOutputs): void {
  const st = out.storage;
  s.set(StakeWeight, [netuid], st.stakeWeight);
  s.set(Active, [netuid], st.active);
  s.set(Emission, [netuid], st.emission.map(BigInt));
  s.set(Consensus, [netuid], st.consensus);
  s.set(Incentive, [netuid], st.incentive);
  s.set(Dividends, [netuid], st.dividends);
  s.set(ValidatorTrust, [netuid], st.validatorTrust);
  s.set(ValidatorPermit, [netuid], st.validatorPermit);
  st.bonds.forEach((row, uid) => {
    if (row !== undefined) s.set(Bonds, [netuid, uid], row);
  });
}

export interface PendingEmission {
  readonly server: bigint;
  readonly validator: bigint;
  readonly ownerCut: bigint;
}

/** Runs the epoch on the drained pending emission and pays it. Returns Yuma's outputs. */
export function runEpoch(ctx: DispatchContext, netuid: number, pending: PendingEmission): YumaOutputs {
  const s = ctx.storage;
  const out = yumaEpoch(readEpochInputs(s, netuid, ctx.blockNumber, pending.server + pending.validator));
  writeOutputs(s, netuid, out);
  ctx.emit('IncentiveAlphaEmittedToMiners', [netuid, out.serverEmission.map(BigInt)]);

  // The owner cut, as stake of the owner hotkey.
  const ownerColdkey = accountOf(s.get(SubnetOwner, [netuid]));
  if (pending.ownerCut > 0n) stakeInto(s, accountOf(s.get(SubnetOwnerHotkey, [netuid])), ownerColdkey, netuid, pending.ownerCut);

  // Miner incentive, as stake of (hotkey, its owner); the owner's own hotkeys' incentive is burned.
  const ownerHotkeys = new Set([...immuneOwnerUids(s, netuid), ...ownedUids(s, netuid, ownerColdkey)]);
  const incentiveSum = out.serverEmission.reduce((a, b) => a + b, 0);
  out.serverEmission.forEach((rao, uid) => {
    if (rao <= 0) return;
    if (ownerHotkeys.has(uid)) {
      addU64(s, SubnetAlphaOut, [netuid], -BigInt(rao));
      return;
    }
    const hotkey = hotkeyOf(s, netuid, uid);
    const coldkey = ownerOf(s, hotkey);
    if (coldkey !== undefined) stakeInto(s, hotkey, coldkey, netuid, BigInt(rao));
  });

  // Validator dividends: the epoch's dividend shares (passed up to parents) scale the validator pot.
  const validatorAlpha = incentiveSum > 0 ? pending.validator : pending.validator + pending.server;
  const shares = new Map<string, { hotkey: Uint8Array; share: bigint }>();
  out.validatorEmission.forEach((rao, uid) => {
    if (rao <= 0) return;
    for (const [hotkey, part] of dividendsToParents(s, hotkeyOf(s, netuid, uid), netuid, BigInt(rao))) {
      const key = Buffer.from(hotkey).toString('hex');
      shares.set(key, { hotkey, share: (shares.get(key)?.share ?? 0n) + part });
    }
  });
  const total = [...shares.values()].reduce((a, b) => a + b.share, 0n);
  s.clear(AlphaDividendsPerSubnet, [netuid]);
  for (const { hotkey, share } of shares.values()) {
    if (total === 0n) break;
    const divs = (validatorAlpha * share) / total;
    const take = (divs * BigInt(num(s, Delegates, [hotkey]))) / 65535n;
    const owner = ownerOf(s, hotkey);
    if (take > 0n && owner !== undefined) stakeInto(s, hotkey, owner, netuid, take);
    creditHotkey(s, hotkey, netuid, divs - take);
    s.set(AlphaDividendsPerSubnet, [netuid, hotkey], divs - take);
    s.set(TotalHotkeyAlphaLastEpoch, [hotkey, netuid], big(s, TotalHotkeyAlpha, [hotkey, netuid]));
  }
  return out;
}

function ownedUids(s: StorageAccess, netuid: number, coldkey: Uint8Array): number[] {
  return (s.get(OwnedHotkeys, [coldkey]) as unknown as Codec[]).flatMap((h) => {
    const uid = uidOf(s, netuid, accountOf(h));
    return uid === undefined ? [] : [uid];
  });
}
