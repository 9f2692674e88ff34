/** Subnet membership at spec 424: uids, hotkeys, and `append_neuron` / `replace_neuron`. */
import type { Codec } from '@polkadot/types/types';
import type { AccountId } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { accountOf, isZeroAccount, sameAccount } from './accounts.js';
import { num } from './read.js';
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
  NeuronCertificates,
  OwnedHotkeys,
  Owner,
  Prometheus,
  StakingHotkeys,
  SubnetOwnerHotkey,
  SubnetworkN,
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
  return num(storage, SubnetworkN, [netuid]);
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

/** The subnet owner's hotkey uid, if that hotkey is registered on the subnet. */
export function ownerUid(storage: StorageAccess, netuid: number): number | undefined {
  const hotkey = storage.tryGet(SubnetOwnerHotkey, [netuid]);
  return hotkey === undefined ? undefined : uidOf(storage, netuid, accountOf(hotkey));
}

/** `create_account_if_non_existent`: records the coldkey as the hotkey's owner (OwnedHotkeys, StakingHotkeys). */
export function claimHotkey(storage: StorageAccess, coldkey: AccountId, hotkey: AccountId): void {
  if (ownerOf(storage, hotkey) !== undefined) return;
  storage.set(Owner, [hotkey], coldkey);
  for (const item of [OwnedHotkeys, StakingHotkeys]) {
    const list = (storage.get(item, [coldkey]) as unknown as Codec[]).map(accountOf);
    if (!list.some((h) => sameAccount(h, hotkey))) storage.set(item, [coldkey], [...list, hotkey]);
  }
}

export function isImmune(storage: StorageAccess, netuid: number, uid: number, block: number): boolean {
  const registered = num(storage, BlockAtRegistration, [netuid, uid]);
  return block - registered < num(storage, ImmunityPeriod, [netuid]);
}

function bind(storage: StorageAccess, netuid: number, uid: number, hotkey: AccountId, block: number): void {
  storage.set(Keys, [netuid, uid], hotkey);
  storage.set(Uids, [netuid, hotkey], uid);
  storage.set(BlockAtRegistration, [netuid, uid], BigInt(block));
  storage.set(IsNetworkMember, [hotkey, netuid], true);
}

/** Resets the per-uid values of `uid` (`clear_neuron`): the LastUpdate of a new neuron is its registration block. */
function resetUid(storage: StorageAccess, netuid: number, uid: number, block: number): void {
  for (const item of [Consensus, Incentive, Dividends, ValidatorTrust]) storage.set(item, [netuid], setAt(readNumbers(storage, item, netuid), uid, 0, 0));
  storage.set(Emission, [netuid], setAt(readBigints(storage, Emission, netuid), uid, 0n, 0n));
  storage.set(LastUpdate, [netuid], setAt(readBigints(storage, LastUpdate, netuid), uid, BigInt(block), 0n));
  storage.set(Active, [netuid], setAt(readBools(storage, Active, netuid), uid, true, true));
  storage.set(ValidatorPermit, [netuid], setAt(readBools(storage, ValidatorPermit, netuid), uid, false, false));
}

/** `append_neuron`: uid = n, n += 1, default per-uid values. */
export function appendNeuron(storage: StorageAccess, netuid: number, hotkey: AccountId, block: number): number {
  const uid = subnetN(storage, netuid);
  storage.set(SubnetworkN, [netuid], uid + 1);
  resetUid(storage, netuid, uid, block);
  bind(storage, netuid, uid, hotkey, block);
  return uid;
}

/**
 * `replace_neuron`: the old hotkey leaves the subnet (its stake stays with it) and the uid starts over.
 * The subnet owner's hotkey is never replaced.
 */
export function replaceNeuron(storage: StorageAccess, netuid: number, uid: number, hotkey: AccountId, block: number): void {
  const old = hotkeyOf(storage, netuid, uid);
  const owner = storage.tryGet(SubnetOwnerHotkey, [netuid]);
  if (owner !== undefined && sameAccount(accountOf(owner), old)) return;
  storage.remove(Uids, [netuid, old]);
  storage.remove(IsNetworkMember, [old, netuid]);
  storage.remove(Axons, [netuid, old]);
  storage.remove(NeuronCertificates, [netuid, old]);
  storage.remove(Prometheus, [netuid, old]);
  storage.remove(Weights, [netuid, uid]);
  storage.remove(Bonds, [netuid, uid]);
  resetUid(storage, netuid, uid, block);
  bind(storage, netuid, uid, hotkey, block);
}
