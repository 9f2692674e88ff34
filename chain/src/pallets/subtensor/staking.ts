/**
 * Stake bookkeeping with subtensor's share pools, in the real storage types.
 *
 * Per (hotkey, netuid): `TotalHotkeyAlpha` is the pool's alpha (rao), `TotalHotkeyShares` its shares and
 * `Alpha(hotkey, coldkey, netuid)` each coldkey's shares, both U64F64 (`{ bits: u128 }` = value · 2^64).
 * A coldkey's alpha = TotalHotkeyAlpha · shares / TotalHotkeyShares. Staking mints shares at the current
 * ratio; emission credited to the hotkey (`creditHotkey`) raises TotalHotkeyAlpha without minting, so all
 * of the hotkey's nominators gain pro rata. These move stake between positions only: the pool reserves,
 * `SubnetAlphaOut` and `TotalStake` are the swap's and the emission's business.
 *
 * Spec 424 also keeps shares as `AlphaV2` / `TotalHotkeySharesV2` (mantissa and exponent); clients read
 * amounts through the runtime APIs, so the devnet keeps only the U64F64 form.
 */
import type { Codec } from '@polkadot/types/types';
import type { AccountId } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { accountOf, sameAccount } from './accounts.js';
import { Alpha, Owner, StakingHotkeys, TotalHotkeyAlpha, TotalHotkeyShares } from './subtensorStorage.js';

const ONE = 1n << 64n;

function bitsOf(c: Codec): bigint {
  return BigInt((c as unknown as { bits: Codec }).bits.toString());
}

function big(c: Codec): bigint {
  return BigInt(c.toString());
}

export function hotkeyAlpha(storage: StorageAccess, hotkey: AccountId, netuid: number): bigint {
  return big(storage.get(TotalHotkeyAlpha, [hotkey, netuid]));
}

export function coldkeyAlpha(storage: StorageAccess, hotkey: AccountId, coldkey: AccountId, netuid: number): bigint {
  const shares = bitsOf(storage.get(Alpha, [hotkey, coldkey, netuid]));
  const totalShares = bitsOf(storage.get(TotalHotkeyShares, [hotkey, netuid]));
  if (shares === 0n || totalShares === 0n) return 0n;
  return (hotkeyAlpha(storage, hotkey, netuid) * shares) / totalShares;
}

/** Stakes `alpha` for `coldkey` on `hotkey`, minting shares at the pool's current ratio. */
export function stakeInto(storage: StorageAccess, hotkey: AccountId, coldkey: AccountId, netuid: number, alpha: bigint): void {
  if (alpha <= 0n) return;
  const totalAlpha = hotkeyAlpha(storage, hotkey, netuid);
  const totalShares = bitsOf(storage.get(TotalHotkeyShares, [hotkey, netuid]));
  const minted = totalShares === 0n || totalAlpha === 0n ? alpha * ONE : (alpha * totalShares) / totalAlpha;
  const shares = bitsOf(storage.get(Alpha, [hotkey, coldkey, netuid]));
  storage.set(Alpha, [hotkey, coldkey, netuid], { bits: shares + minted });
  storage.set(TotalHotkeyShares, [hotkey, netuid], { bits: totalShares + minted });
  storage.set(TotalHotkeyAlpha, [hotkey, netuid], totalAlpha + alpha);
  const staking = (storage.get(StakingHotkeys, [coldkey]) as unknown as Codec[]).map(accountOf);
  if (!staking.some((h) => sameAccount(h, hotkey))) storage.set(StakingHotkeys, [coldkey], [...staking, hotkey]);
}

/** Removes `alpha` of `coldkey`'s stake on `hotkey` (caller checked it is available). */
export function unstakeFrom(storage: StorageAccess, hotkey: AccountId, coldkey: AccountId, netuid: number, alpha: bigint): void {
  const totalAlpha = hotkeyAlpha(storage, hotkey, netuid);
  const totalShares = bitsOf(storage.get(TotalHotkeyShares, [hotkey, netuid]));
  const shares = bitsOf(storage.get(Alpha, [hotkey, coldkey, netuid]));
  const owned = totalShares === 0n ? 0n : (totalAlpha * shares) / totalShares;
  // Taking everything burns every share, so no dust of shares is left without value.
  const burned = alpha >= owned ? shares : (alpha * totalShares + totalAlpha - 1n) / totalAlpha;
  const left = shares - (burned > shares ? shares : burned);
  if (left === 0n) storage.remove(Alpha, [hotkey, coldkey, netuid]);
  else storage.set(Alpha, [hotkey, coldkey, netuid], { bits: left });
  storage.set(TotalHotkeyShares, [hotkey, netuid], { bits: totalShares - (shares - left) });
  storage.set(TotalHotkeyAlpha, [hotkey, netuid], totalAlpha - alpha);
}

/**
 * Emission credited to a hotkey as a whole (dividends): raises the pool's alpha, so every nominator gains
 * pro rata. A pool without shares has no one to credit, so the alpha is staked to the hotkey's owner.
 */
export function creditHotkey(storage: StorageAccess, hotkey: AccountId, netuid: number, alpha: bigint): void {
  if (alpha <= 0n) return;
  const totalShares = bitsOf(storage.get(TotalHotkeyShares, [hotkey, netuid]));
  if (totalShares === 0n) {
    stakeInto(storage, hotkey, accountOf(storage.get(Owner, [hotkey])), netuid, alpha);
    return;
  }
  storage.set(TotalHotkeyAlpha, [hotkey, netuid], hotkeyAlpha(storage, hotkey, netuid) + alpha);
}
