/**
 * `System.Account` values (FrameSystemAccountInfo with PalletBalancesAccountData), encoded by hand
 * because every extrinsic reads and writes them: 4 × u32, then free/reserved/frozen u64, flags u128.
 */
import type { StorageAccess } from '../../runtime/storageAccess.js';
import type { AccountId } from '../../runtime/pallet.js';
import { Account } from './systemStorage.js';

export interface AccountInfo {
  nonce: number;
  consumers: number;
  providers: number;
  sufficients: number;
  free: bigint;
  reserved: bigint;
  frozen: bigint;
  flags: bigint;
}

/** Balances' IS_NEW_LOGIC flag, set on every account the current Balances pallet creates. */
export const NEW_LOGIC_FLAG = 1n << 127n;
const ENCODED_LEN = 16 + 24 + 16;

export function emptyAccount(): AccountInfo {
  return { nonce: 0, consumers: 0, providers: 0, sufficients: 0, free: 0n, reserved: 0n, frozen: 0n, flags: NEW_LOGIC_FLAG };
}

export function encodeAccountInfo(a: AccountInfo): Uint8Array {
  const out = new Uint8Array(ENCODED_LEN);
  const v = new DataView(out.buffer);
  v.setUint32(0, a.nonce, true);
  v.setUint32(4, a.consumers, true);
  v.setUint32(8, a.providers, true);
  v.setUint32(12, a.sufficients, true);
  v.setBigUint64(16, a.free, true);
  v.setBigUint64(24, a.reserved, true);
  v.setBigUint64(32, a.frozen, true);
  v.setBigUint64(40, a.flags & 0xffff_ffff_ffff_ffffn, true);
  v.setBigUint64(48, a.flags >> 64n, true);
  return out;
}

export function decodeAccountInfo(bytes: Uint8Array): AccountInfo {
  if (bytes.length !== ENCODED_LEN) throw new Error(`AccountInfo: ${bytes.length} bytes, expected ${ENCODED_LEN}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    nonce: v.getUint32(0, true),
    consumers: v.getUint32(4, true),
    providers: v.getUint32(8, true),
    sufficients: v.getUint32(12, true),
    free: v.getBigUint64(16, true),
    reserved: v.getBigUint64(24, true),
    frozen: v.getBigUint64(32, true),
    flags: v.getBigUint64(40, true) | (v.getBigUint64(48, true) << 64n),
  };
}

/** Whether the account exists (has a System.Account entry). */
export function accountExists(storage: StorageAccess, who: AccountId): boolean {
  return storage.getRaw(storage.key(Account, [who])) !== undefined;
}

export function readAccount(storage: StorageAccess, who: AccountId): AccountInfo {
  const raw = storage.getRaw(storage.key(Account, [who]));
  return raw === undefined ? emptyAccount() : decodeAccountInfo(raw);
}

/** Writes the account; an account with no providers and no sufficients is removed, as frame_system does. */
export function writeAccount(storage: StorageAccess, who: AccountId, a: AccountInfo): void {
  const key = storage.key(Account, [who]);
  if (a.providers === 0 && a.sufficients === 0) storage.removeRaw(key);
  else storage.setRaw(key, encodeAccountInfo(a));
}
