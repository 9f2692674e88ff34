/** Readers and writers for SubtensorModule's per-uid vectors (`Vec<u16>`, `Vec<u64>`, `Vec<bool>` keyed by netuid). */
import type { Codec } from '@polkadot/types/types';
import type { StorageItem } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';

function items(storage: StorageAccess, item: StorageItem, netuid: number): Codec[] {
  const v = storage.get(item, [netuid]);
  return Array.isArray(v) ? (v as unknown as Codec[]) : [];
}

export function readNumbers(storage: StorageAccess, item: StorageItem, netuid: number): number[] {
  return items(storage, item, netuid).map((c) => Number(c.toString()));
}

export function readBigints(storage: StorageAccess, item: StorageItem, netuid: number): bigint[] {
  return items(storage, item, netuid).map((c) => BigInt(c.toString()));
}

export function readBools(storage: StorageAccess, item: StorageItem, netuid: number): boolean[] {
  return items(storage, item, netuid).map((c) => c.toJSON() === true);
}

/** Sets element `uid` (growing the vector with `fill` if it is short). */
export function setAt<T>(values: T[], uid: number, value: T, fill: T): T[] {
  while (values.length <= uid) values.push(fill);
  values[uid] = value;
  return values;
}
