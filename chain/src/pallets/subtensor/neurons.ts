/** Subnet membership: uids, hotkeys, registration (append / replace) and the pruning choice. */
import type { Codec } from '@polkadot/types/types';
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { accountOf, isZeroAccount } from './accounts.js';
import {
  Active,
  Axons,
  BlockAtRegistration,
  Bonds,
  Consensus,
  Dividends,
  Emission,
  ImmunityPeriod,
  Incentive,
  IsNetworkMember,
  Keys,
  LastUpdate,
  NetworksAdded,
  OwnedHotkeys,
  Owner,
  PruningScores,
  Rank,
  SubnetworkN,
  Trust,
  Uids,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
} from './subtensorStorage.js';
import { readBigints, readBools, readNumbers, setAt } from './vectors.js';

export function subnetExists(storage: StorageAccess, netuid: number): boolean {
  return storage.get(NetworksAdded, [netuid]).toJSON() === true;
}

export function subnetN(storage: StorageAccess, netuid: number): number {
  return Number(storage.get(SubnetworkN, [netuid]).toString());
}

export function uidOf(storage: StorageAccess, netuid: number, hotkey: AccountId): number | undefined {
  const v = storage.tryGet(Uids, [netuid, hotkey]);
  return v === undefined ? undefined : Number(v.toString());
}

export function hotkeyOf(storage: StorageAccess, netuid: number, uid: number): AccountId {
  return accountOf(storage.get(Keys, [netuid, uid]));
}

/** The hotkey's owning coldkey, or undefined when the hotkey was never registered anywhere. */
export function ownerOf(storage: StorageAccess, hotkey: AccountId): AccountId | undefined {
  const owner = accountOf(storage.get(Owner, [hotkey]));
  return isZeroAccount(owner) ? undefined : owner;
}

/** `create_account_if_non_existent`: records the coldkey as the hotkey's owner. */
export function claimHotkey(storage: StorageAccess, coldkey: AccountId, hotkey: AccountId): void {
  if (ownerOf(storage, hotkey) !== undefined) return;
  storage.set(Owner, [hotkey], coldkey);
  const owned = (storage.get(OwnedHotkeys, [coldkey]) as unknown as Codec[]).map(accountOf);
  storage.set(OwnedHotkeys, [coldkey], [...owned, hotkey]);
}

function pushDefaults(storage: StorageAccess, netuid: number, uid: number, block: number): void {
  const u16s = [Rank, Trust, Consensus, Incentive, Dividends, PruningScores, ValidatorTrust];
  for (const item of u16s) storage.set(item, [netuid], setAt(readNumbers(storage, item, netuid), uid, 0, 0));
  storage.set(Emission, [netuid], setAt(readBigints(storage, Emission, netuid), uid, 0n, 0n));
  // As subtensor: a new uid starts with LastUpdate = its registration block (so the weights rate limit
  // also runs from registration).
  storage.set(LastUpdate, [netuid], setAt(readBigints(storage, LastUpdate, netuid), uid, BigInt(block), 0n));
  storage.set(Active, [netuid], setAt(readBools(storage, Active, netuid), uid, true, true));
  storage.set(ValidatorPermit, [netuid], setAt(readBools(storage, ValidatorPermit, netuid), uid, false, false));
}

function bind(ctx: DispatchContext, netuid: number, uid: number, hotkey: AccountId): void {
  ctx.storage.set(Keys, [netuid, uid], hotkey);
  ctx.storage.set(Uids, [netuid, hotkey], uid);
  ctx.storage.set(BlockAtRegistration, [netuid, uid], BigInt(ctx.blockNumber));
  ctx.storage.set(IsNetworkMember, [hotkey, netuid], true);
}

/** `append_neuron`: uid = n, n += 1, default per-uid values. */
export function appendNeuron(ctx: DispatchContext, netuid: number, hotkey: AccountId): number {
  const uid = subnetN(ctx.storage, netuid);
  ctx.storage.set(SubnetworkN, [netuid], uid + 1);
  pushDefaults(ctx.storage, netuid, uid, ctx.blockNumber);
  bind(ctx, netuid, uid, hotkey);
  return uid;
}

/** `replace_neuron`: the old hotkey leaves the subnet (its stake stays with it), the uid is reset. */
export function replaceNeuron(ctx: DispatchContext, netuid: number, uid: number, hotkey: AccountId): void {
  const old = hotkeyOf(ctx.storage, netuid, uid);
  ctx.storage.remove(Uids, [netuid, old]);
  ctx.storage.remove(IsNetworkMember, [old, netuid]);
  ctx.storage.remove(Axons, [netuid, old]);
  ctx.storage.remove(Weights, [netuid, uid]);
  ctx.storage.remove(Bonds, [netuid, uid]);
  pushDefaults(ctx.storage, netuid, uid, ctx.blockNumber);
  bind(ctx, netuid, uid, hotkey);
}

export function isImmune(storage: StorageAccess, netuid: number, uid: number, block: number): boolean {
  const registered = Number(storage.get(BlockAtRegistration, [netuid, uid]).toString());
  const immunity = Number(storage.get(ImmunityPeriod, [netuid]).toString());
  return block - registered < immunity;
}

/**
 * The uid a registration into a full subnet replaces: the lowest `PruningScores` among non-immune uids;
 * on equal scores the later uid (subtensor's scan replaces its candidate on ties). Undefined when every
 * uid is immune — see README: spec 233 would then prune an immune uid, the devnet refuses instead.
 */
export function neuronToPrune(storage: StorageAccess, netuid: number, block: number): number | undefined {
  const scores = readNumbers(storage, PruningScores, netuid);
  const n = subnetN(storage, netuid);
  let best: number | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let uid = 0; uid < n; uid++) {
    if (isImmune(storage, netuid, uid, block)) continue;
    const score = scores[uid] ?? 0;
    if (score <= bestScore) {
      bestScore = score;
      best = uid;
    }
  }
  return best;
}
