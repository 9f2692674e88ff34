/**
 * Which uid a registration into a full subnet replaces, as `get_neuron_to_prune` at spec 424: the
 * lowest `Emission`, ties by the earliest registration, then the lowest uid. The owner's immortal
 * hotkeys (the subnet owner hotkey, plus the owner coldkey's earliest `ImmuneOwnerUidsLimit` hotkeys)
 * are never candidates. A non-immune uid is preferred while more than `MinNonImmuneUids` remain;
 * otherwise the best immune one is taken.
 */
import type { Codec } from '@polkadot/types/types';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { accountOf } from './accounts.js';
import { hotkeyOf, isImmune, subnetN, uidOf } from './neurons.js';
import { num } from './read.js';
import { BlockAtRegistration, Emission, ImmuneOwnerUidsLimit, MinNonImmuneUids, OwnedHotkeys, SubnetOwner, SubnetOwnerHotkey } from './subtensorStorage.js';
import { readBigints } from './vectors.js';

/** Uids of the owner's immortal hotkeys (`get_immune_owner_uids`). */
export function immuneOwnerUids(storage: StorageAccess, netuid: number): number[] {
  const owner = accountOf(storage.get(SubnetOwner, [netuid]));
  const limit = num(storage, ImmuneOwnerUidsLimit, [netuid]);
  const triples = (storage.get(OwnedHotkeys, [owner]) as unknown as Codec[])
    .map(accountOf)
    .flatMap((hotkey) => {
      const uid = uidOf(storage, netuid, hotkey);
      return uid === undefined ? [] : [{ uid, block: num(storage, BlockAtRegistration, [netuid, uid]) }];
    })
    .sort((a, b) => a.block - b.block || a.uid - b.uid)
    .slice(0, limit)
    .map((t) => t.uid);
  const ownerHotkey = storage.tryGet(SubnetOwnerHotkey, [netuid]);
  const ownerHotkeyUid = ownerHotkey === undefined ? undefined : uidOf(storage, netuid, accountOf(ownerHotkey));
  if (ownerHotkeyUid !== undefined && !triples.includes(ownerHotkeyUid)) {
    triples.unshift(ownerHotkeyUid);
    if (triples.length > limit) triples.length = limit;
  }
  return triples;
}

export function neuronToPrune(storage: StorageAccess, netuid: number, block: number): number | undefined {
  const n = subnetN(storage, netuid);
  const immortal = new Set(immuneOwnerUids(storage, netuid).map((uid) => hotkeyOf(storage, netuid, uid).join()));
  const emission = readBigints(storage, Emission, netuid);
  type Candidate = { emission: bigint; block: number; uid: number };
  const better = (a: Candidate, b: Candidate | undefined) =>
    b === undefined || (a.emission !== b.emission ? a.emission < b.emission : a.block !== b.block ? a.block < b.block : a.uid < b.uid);
  let bestFree: Candidate | undefined;
  let bestImmune: Candidate | undefined;
  let free = 0;
  for (let uid = 0; uid < n; uid++) {
    if (immortal.has(hotkeyOf(storage, netuid, uid).join())) continue;
    const c = { emission: emission[uid] ?? 0n, block: num(storage, BlockAtRegistration, [netuid, uid]), uid };
    if (isImmune(storage, netuid, uid, block)) {
      if (better(c, bestImmune)) bestImmune = c;
    } else {
      free += 1;
      if (better(c, bestFree)) bestFree = c;
    }
  }
  if (bestFree !== undefined && free > num(storage, MinNonImmuneUids, [netuid])) return bestFree.uid;
  return bestImmune?.uid;
}
