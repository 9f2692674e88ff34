/** Small account helpers: ids as bytes, the zero account (storage default of Owner/Keys), comparisons. */
import type { Codec } from '@polkadot/types/types';
import type { AccountId } from '../../runtime/pallet.js';

export const ZERO_ACCOUNT: AccountId = new Uint8Array(32);

export function accountOf(c: Codec): AccountId {
  return c.toU8a(true).slice(0, 32);
}

export function sameAccount(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

export function isZeroAccount(a: Uint8Array): boolean {
  return a.every((x) => x === 0);
}
