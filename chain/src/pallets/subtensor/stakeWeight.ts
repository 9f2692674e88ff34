/**
 * Stake as consensus counts it (`staking/stake_utils.rs` at spec 424), with subtensor's U96F32 rounding:
 *
 * - α(h) = A(h, n)·(1 − Σ_children p/u64::MAX) + Σ_parents A(parent, n)·p/u64::MAX, floored to rao,
 *   with A = TotalHotkeyAlpha;
 * - τ(h) the same with root stake A(·, 0) but the subnet's ChildKeys / ParentKeys;
 * - S(h) = α(h) + w·τ(h), w = TaoWeight / u64::MAX.
 */
import type { Codec } from '@polkadot/types/types';
import type { AccountId } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { accountOf } from './accounts.js';
import { add, floor, fromInt, mul, ratio, sub, U96F32, type Fixed } from './fixedPoint.js';
import { hotkeyOf, subnetN } from './neurons.js';
import { big } from './read.js';
import { ChildKeys, ParentKeys, TaoWeight, TotalHotkeyAlpha } from './subtensorStorage.js';

const U64_MAX = (1n << 64n) - 1n;

/** `(proportion, account)` pairs of ChildKeys / ParentKeys. */
export function relations(s: StorageAccess, item: typeof ChildKeys, hotkey: AccountId, netuid: number): Array<[bigint, AccountId]> {
  return (s.get(item, [hotkey, netuid]) as unknown as Codec[]).map((pair) => {
    const [p, who] = pair as unknown as [Codec, Codec];
    return [BigInt(p.toString()), accountOf(who)];
  });
}

function inherited(s: StorageAccess, hotkey: AccountId, netuid: number, stakeNetuid: number): bigint {
  const own = fromInt(big(s, TotalHotkeyAlpha, [hotkey, stakeNetuid]), U96F32);
  let toChildren: Fixed = fromInt(0n, U96F32);
  for (const [p] of relations(s, ChildKeys, hotkey, netuid)) toChildren = add(toChildren, mul(own, ratio(p, U64_MAX, U96F32)));
  let fromParents: Fixed = fromInt(0n, U96F32);
  for (const [p, parent] of relations(s, ParentKeys, hotkey, netuid)) {
    fromParents = add(fromParents, mul(fromInt(big(s, TotalHotkeyAlpha, [parent, stakeNetuid]), U96F32), ratio(p, U64_MAX, U96F32)));
  }
  return floor(add(sub(own, toChildren), fromParents));
}

export interface ConsensusStake {
  /** α: inherited alpha on the subnet (rao). */
  readonly alpha: bigint;
  /** τ: inherited root TAO (rao). */
  readonly tao: bigint;
  /** S = α + w·τ, as U96F32 bits and floored to rao. */
  readonly total: Fixed;
  readonly totalRao: bigint;
}

export function consensusStake(s: StorageAccess, hotkey: AccountId, netuid: number): ConsensusStake {
  const alpha = netuid === 0 ? big(s, TotalHotkeyAlpha, [hotkey, 0]) : inherited(s, hotkey, netuid, netuid);
  const tao = inherited(s, hotkey, netuid, 0);
  const w = ratio(big(s, TaoWeight), U64_MAX, U96F32);
  const total = add(fromInt(alpha, U96F32), mul(fromInt(tao, U96F32), w));
  return { alpha, tao, total, totalRao: floor(total) };
}

/** Consensus stake of every uid of the subnet (`get_stake_weights_for_network`). */
export function subnetConsensusStake(s: StorageAccess, netuid: number): ConsensusStake[] {
  return Array.from({ length: subnetN(s, netuid) }, (_, uid) => consensusStake(s, hotkeyOf(s, netuid, uid), netuid));
}
