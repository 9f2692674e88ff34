/** Typed reads of SubtensorModule storage (every value is a codec; these give JS numbers, bigints, booleans). */
import type { StorageItem } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';

export function big(s: StorageAccess, item: StorageItem, keys: readonly unknown[] = []): bigint {
  return BigInt(s.get(item, keys).toString());
}

export function num(s: StorageAccess, item: StorageItem, keys: readonly unknown[] = []): number {
  return Number(s.get(item, keys).toString());
}

export function flag(s: StorageAccess, item: StorageItem, keys: readonly unknown[] = []): boolean {
  return s.get(item, keys).toJSON() === true;
}

/** Adds `delta` (may be negative; floors at 0) to a u64 item. */
export function addU64(s: StorageAccess, item: StorageItem, keys: readonly unknown[], delta: bigint): bigint {
  const next = big(s, item, keys) + delta;
  const value = next < 0n ? 0n : next;
  s.set(item, keys, value);
  return value;
}
