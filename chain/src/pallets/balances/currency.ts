/**
 * Balance operations with pallet_balances' fungible semantics (existential deposit, account creation
 * and reaping, events), for Balances' calls, fee payment and other pallets (staking moves TAO with
 * `burnFrom` / `mintInto`). All take the caller's context and throw DispatchError on failure.
 */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import { DispatchError } from '../../runtime/dispatchError.js';
import { bigIntOf } from '../../runtime/codecs.js';
import { EXISTENTIAL_DEPOSIT } from '../../runtime/runtimeVersion.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { readAccount, writeAccount, type AccountInfo } from '../system/accountInfo.js';
import { TotalIssuance } from './balancesStorage.js';

/** `Expendable` may reap the account; `Preserve` keeps at least the existential deposit. */
export type Preservation = 'Expendable' | 'Preserve';

const U64_MAX = (1n << 64n) - 1n;

export function freeBalance(storage: StorageAccess, who: AccountId): bigint {
  return readAccount(storage, who).free;
}

/** How much of `who`'s free balance can leave it under `preservation`. */
export function reducibleBalance(storage: StorageAccess, who: AccountId, preservation: Preservation): bigint {
  const a = readAccount(storage, who);
  return reducible(a, preservation);
}

function reducible(a: AccountInfo, preservation: Preservation): bigint {
  // An account with consumers cannot be reaped, so it must keep the existential deposit as well.
  let untouchable = a.frozen > a.reserved ? a.frozen - a.reserved : 0n;
  if (preservation === 'Preserve' || a.consumers > 0) untouchable = untouchable > EXISTENTIAL_DEPOSIT ? untouchable : EXISTENTIAL_DEPOSIT;
  return a.free > untouchable ? a.free - untouchable : 0n;
}

function adjustIssuance(storage: StorageAccess, delta: bigint): void {
  const total = bigIntOf(storage.get(TotalIssuance));
  const next = total + delta;
  storage.set(TotalIssuance, [], next < 0n ? 0n : next > U64_MAX ? U64_MAX : next);
}

/** Lowers free balance; reaps the account (DustLost, KilledAccount) if it falls below the ED. Returns dust. */
function decrease(ctx: DispatchContext, who: AccountId, amount: bigint, preservation: Preservation): bigint {
  const a = readAccount(ctx.storage, who);
  if (amount > reducible(a, preservation)) throw DispatchError.token('FundsUnavailable');
  a.free -= amount;
  if (a.free < EXISTENTIAL_DEPOSIT && a.reserved === 0n) {
    const dust = a.free;
    a.free = 0n;
    a.providers = Math.max(0, a.providers - 1);
    writeAccount(ctx.storage, who, a);
    if (a.providers === 0 && a.sufficients === 0) ctx.emitFrom('System', 'KilledAccount', [who]);
    if (dust > 0n) {
      ctx.emitFrom('Balances', 'DustLost', [who, dust]);
      adjustIssuance(ctx.storage, -dust);
    }
    return dust;
  }
  writeAccount(ctx.storage, who, a);
  return 0n;
}

/** Raises free balance; creates the account (NewAccount, Endowed) if it did not exist. */
function increase(ctx: DispatchContext, who: AccountId, amount: bigint): void {
  const a = readAccount(ctx.storage, who);
  const created = a.providers === 0 && a.sufficients === 0;
  if (created && amount < EXISTENTIAL_DEPOSIT) throw DispatchError.token('BelowMinimum');
  if (a.free + amount > U64_MAX) throw DispatchError.arithmetic('Overflow');
  a.free += amount;
  if (created) a.providers = 1;
  writeAccount(ctx.storage, who, a);
  if (created) {
    ctx.emitFrom('System', 'NewAccount', [who]);
    ctx.emitFrom('Balances', 'Endowed', [who, amount]);
  }
}

/** fungible::Mutate::transfer: moves `amount`, emitting Balances.Transfer. */
export function transfer(ctx: DispatchContext, from: AccountId, to: AccountId, amount: bigint, preservation: Preservation): void {
  if (amount === 0n || Buffer.compare(from, to) === 0) return;
  const dest = readAccount(ctx.storage, to);
  if (dest.providers === 0 && dest.sufficients === 0 && amount < EXISTENTIAL_DEPOSIT) throw DispatchError.token('BelowMinimum');
  decrease(ctx, from, amount, preservation);
  increase(ctx, to, amount);
  ctx.emitFrom('Balances', 'Transfer', [from, to, amount]);
}

/** Removes `amount` from circulation (Balances.Burned). */
export function burnFrom(ctx: DispatchContext, who: AccountId, amount: bigint, preservation: Preservation): void {
  if (amount === 0n) return;
  decrease(ctx, who, amount, preservation);
  adjustIssuance(ctx.storage, -amount);
  ctx.emitFrom('Balances', 'Burned', [who, amount]);
}

/** Creates `amount` new tokens in `who`'s account (Balances.Minted). */
export function mintInto(ctx: DispatchContext, who: AccountId, amount: bigint): void {
  if (amount === 0n) return;
  increase(ctx, who, amount);
  adjustIssuance(ctx.storage, amount);
  ctx.emitFrom('Balances', 'Minted', [who, amount]);
}

/** Withdraws a transaction fee (Balances.Withdraw); the fee is burned. Returns false if it cannot be paid. */
export function withdrawFee(ctx: DispatchContext, who: AccountId, fee: bigint): boolean {
  if (fee === 0n) return true;
  const a = readAccount(ctx.storage, who);
  if (fee > reducible(a, 'Expendable')) return false;
  decrease(ctx, who, fee, 'Expendable');
  adjustIssuance(ctx.storage, -fee);
  ctx.emitFrom('Balances', 'Withdraw', [who, fee]);
  return true;
}

/** Whether `who` could pay `fee` now (for transaction validation). */
export function canPayFee(storage: StorageAccess, who: AccountId, fee: bigint): boolean {
  return fee === 0n || fee <= reducible(readAccount(storage, who), 'Expendable');
}

/** Genesis endowment: no events, issuance increased. */
export function endow(storage: StorageAccess, who: AccountId, amount: bigint): void {
  const a = readAccount(storage, who);
  if (a.providers === 0) a.providers = 1;
  a.free += amount;
  writeAccount(storage, who, a);
  adjustIssuance(storage, amount);
}

/** force_set_balance: sets free balance (reaping below the ED), adjusting issuance. */
export function setFreeBalance(ctx: DispatchContext, who: AccountId, newFree: bigint): void {
  const a = readAccount(ctx.storage, who);
  const target = newFree < EXISTENTIAL_DEPOSIT ? 0n : newFree;
  if (target > a.free) increase(ctx, who, target - a.free);
  else if (target < a.free) decrease(ctx, who, a.free - target, 'Expendable');
  adjustIssuance(ctx.storage, target - a.free);
  ctx.emitFrom('Balances', 'BalanceSet', [who, target]);
}
