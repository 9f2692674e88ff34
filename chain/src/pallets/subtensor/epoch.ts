/**
 * One subnet's epoch against storage: read the inputs, run the pure `yumaEpoch`, write the results to
 * the real storage items and pay the emission as stake (subtensor `drain_pending_emission` at spec 233,
 * simplified as the README says: no root dividends, no childkeys, no delegate take).
 */
import type { Codec } from '@polkadot/types/types';
import type { DispatchContext } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { yumaEpoch, type SparseMatrix, type YumaInputs, type YumaOutputs } from '../../yuma/index.js';
import { accountOf } from './accounts.js';
import { hotkeyOf, ownerOf, subnetN } from './neurons.js';
import { creditHotkey, hotkeyAlpha, stakeInto } from './staking.js';
import {
  Active,
  ActivityCutoff,
  AlphaDividendsPerSubnet,
  BlockAtRegistration,
  BlocksSinceLastStep,
  Bonds,
  BondsMovingAverage,
  BondsPenalty,
  Consensus,
  Dividends,
  Emission,
  Incentive,
  Kappa,
  LastMechansimStepBlock,
  LastUpdate,
  MaxAllowedValidators,
  PendingEmission,
  PendingOwnerCut,
  PruningScores,
  Rank,
  StakeWeight,
  SubnetOwner,
  SubnetOwnerHotkey,
  Trust,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
} from './subtensorStorage.js';
import { readBigints, readBools } from './vectors.js';

const num = (s: StorageAccess, item: Parameters<StorageAccess['get']>[0], netuid: number) => Number(s.get(item, [netuid]).toString());

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

/** The epoch's inputs as storage holds them now; `emission` is the pending emission being drained. */
export function readEpochInputs(s: StorageAccess, netuid: number, block: number, emission: number): YumaInputs {
  const n = subnetN(s, netuid);
  const uids = Array.from({ length: n }, (_, uid) => uid);
  return {
    block,
    // Devnet stake weight: the hotkey's alpha on this subnet (no root network, TaoWeight unused).
    stake: uids.map((uid) => Number(hotkeyAlpha(s, hotkeyOf(s, netuid, uid), netuid))),
    lastUpdate: readBigints(s, LastUpdate, netuid).map(Number),
    blockAtRegistration: uids.map((uid) => Number(s.get(BlockAtRegistration, [netuid, uid]).toString())),
    validatorPermit: readBools(s, ValidatorPermit, netuid),
    weights: readMatrix(s, Weights, netuid, n),
    bonds: readMatrix(s, Bonds, netuid, n),
    emission,
    params: {
      activityCutoff: num(s, ActivityCutoff, netuid),
      maxAllowedValidators: num(s, MaxAllowedValidators, netuid),
      kappa: num(s, Kappa, netuid),
      bondsMovingAverage: num(s, BondsMovingAverage, netuid),
      bondsPenalty: num(s, BondsPenalty, netuid),
    },
  };
}

function writeOutputs(s: StorageAccess, netuid: number, out: YumaOutputs): void {
  const st = out.storage;
  s.set(StakeWeight, [netuid], st.stakeWeight);
  s.set(Active, [netuid], st.active);
  s.set(Emission, [netuid], st.emission.map(BigInt));
  s.set(Rank, [netuid], st.rank);
  s.set(Trust, [netuid], st.trust);
  s.set(Consensus, [netuid], st.consensus);
  s.set(Incentive, [netuid], st.incentive);
  s.set(Dividends, [netuid], st.dividends);
  s.set(PruningScores, [netuid], st.pruningScores);
  s.set(ValidatorTrust, [netuid], st.validatorTrust);
  s.set(ValidatorPermit, [netuid], st.validatorPermit);
  st.bonds.forEach((row, uid) => {
    if (row !== undefined) s.set(Bonds, [netuid, uid], row);
  });
}

/** Drains PendingEmission and PendingOwnerCut through one epoch. Returns the epoch's outputs. */
export function runEpoch(ctx: DispatchContext, netuid: number): YumaOutputs {
  const s = ctx.storage;
  const pending = BigInt(s.get(PendingEmission, [netuid]).toString());
  const ownerCut = BigInt(s.get(PendingOwnerCut, [netuid]).toString());
  s.set(PendingEmission, [netuid], 0n);
  s.set(PendingOwnerCut, [netuid], 0n);
  s.set(BlocksSinceLastStep, [netuid], 0n);
  s.set(LastMechansimStepBlock, [netuid], BigInt(ctx.blockNumber));

  const out = yumaEpoch(readEpochInputs(s, netuid, ctx.blockNumber, Number(pending)));
  writeOutputs(s, netuid, out);

  out.serverEmission.forEach((rao, uid) => {
    if (rao <= 0) return;
    const hotkey = hotkeyOf(s, netuid, uid);
    const coldkey = ownerOf(s, hotkey);
    if (coldkey !== undefined) stakeInto(s, hotkey, coldkey, netuid, BigInt(rao));
  });
  out.validatorEmission.forEach((rao, uid) => {
    if (rao <= 0) return;
    const hotkey = hotkeyOf(s, netuid, uid);
    creditHotkey(s, hotkey, netuid, BigInt(rao));
    s.set(AlphaDividendsPerSubnet, [netuid, hotkey], BigInt(rao));
  });
  if (ownerCut > 0n) {
    stakeInto(s, accountOf(s.get(SubnetOwnerHotkey, [netuid])), accountOf(s.get(SubnetOwner, [netuid])), netuid, ownerCut);
  }
  return out;
}
