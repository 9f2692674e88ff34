/**
 * The subnet pool (pallet Swap at spec 424) on the devnet: a balancer pool between `SubnetTAO` (y) and
 * `SubnetAlphaIn` (x) with both weights at 0.5 — the reference's default weights, under which the
 * balancer formulas reduce to the constant product: price p = y / x, buying with ∆y TAO gives
 * x·∆y / (y + ∆y) alpha, selling ∆x alpha gives y·∆x / (x + ∆x) TAO (exact rationals, floored).
 *
 * The swap fee is `Swap.FeeRate[netuid] / 65535` of the input (33 by default, ≈ 0.05%), computed as
 * U64F64 like the chain, taken from the input before it reaches the pool and reported in StakeAdded /
 * StakeRemoved. Stable subnets (mechanism 0) swap 1:1 without a fee; subnets the devnet creates are
 * dynamic (mechanism 1), as on Bittensor.
 */
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { fromInt, mul, ratio, floor, U64F64 } from './fixedPoint.js';
import { addU64, big, num } from './read.js';
import { FeeRate } from '../swap/swapStorage.js';
import { SubnetAlphaIn, SubnetAlphaOut, SubnetMechanism, SubnetTAO, SubnetVolume, TotalStake } from './subtensorStorage.js';

const U16_MAX = 65535n;

export interface SwapResult {
  /** Input taken into the pool (input minus fee). */
  readonly paidIn: bigint;
  readonly paidOut: bigint;
  readonly fee: bigint;
}

export function isDynamic(s: StorageAccess, netuid: number): boolean {
  return num(s, SubnetMechanism, [netuid]) === 1;
}

/** `calculate_fee_amount`: `amount · FeeRate / 65535` in U64F64, floored; 0 on stable subnets. */
export function swapFee(s: StorageAccess, netuid: number, amount: bigint): bigint {
  if (!isDynamic(s, netuid)) return 0n;
  const rate = ratio(BigInt(num(s, FeeRate, [netuid])), U16_MAX, U64F64);
  return floor(mul(fromInt(amount, U64F64), rate));
}

/** Price of one alpha in TAO, as a rational `[tao, alpha]` (1:1 on stable subnets). */
export function priceRatio(s: StorageAccess, netuid: number): [bigint, bigint] {
  if (!isDynamic(s, netuid)) return [1n, 1n];
  return [big(s, SubnetTAO, [netuid]), big(s, SubnetAlphaIn, [netuid])];
}

/** Price in rao per alpha (what `current_alpha_price` and limit prices use). */
export function priceRao(s: StorageAccess, netuid: number): bigint {
  const [tao, alpha] = priceRatio(s, netuid);
  return alpha === 0n ? 0n : (tao * 1_000_000_000n) / alpha;
}

/** Alpha bought with `tao` (before anything is written). */
export function simTaoForAlpha(s: StorageAccess, netuid: number, tao: bigint): SwapResult {
  const fee = swapFee(s, netuid, tao);
  const paidIn = tao - fee;
  if (!isDynamic(s, netuid)) return { paidIn, paidOut: paidIn, fee };
  const x = big(s, SubnetAlphaIn, [netuid]);
  const y = big(s, SubnetTAO, [netuid]);
  return { paidIn, paidOut: y + paidIn === 0n ? 0n : (x * paidIn) / (y + paidIn), fee };
}

/** TAO received for `alpha` (before anything is written). */
export function simAlphaForTao(s: StorageAccess, netuid: number, alpha: bigint): SwapResult {
  const fee = swapFee(s, netuid, alpha);
  const paidIn = alpha - fee;
  if (!isDynamic(s, netuid)) return { paidIn, paidOut: paidIn, fee };
  const x = big(s, SubnetAlphaIn, [netuid]);
  const y = big(s, SubnetTAO, [netuid]);
  return { paidIn, paidOut: x + paidIn === 0n ? 0n : (y * paidIn) / (x + paidIn), fee };
}

/** Integer square root (floor). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/**
 * The most TAO (fee included) that can be staked before the price passes `limitPrice` (rao per
 * alpha): after ∆ TAO enter the pool the price is (y + ∆)² / (x·y), so ∆ ≤ √(L·x·y / 1e9) − y.
 */
export function maxTaoForPrice(s: StorageAccess, netuid: number, limitPrice: bigint): bigint {
  if (!isDynamic(s, netuid)) return limitPrice >= 1_000_000_000n ? (1n << 64n) - 1n : 0n;
  const x = big(s, SubnetAlphaIn, [netuid]);
  const y = big(s, SubnetTAO, [netuid]);
  const delta = isqrt((limitPrice * x * y) / 1_000_000_000n) - y;
  if (delta <= 0n) return 0n;
  const rate = BigInt(num(s, FeeRate, [netuid]));
  return (delta * U16_MAX) / (U16_MAX - rate);
}

/** The most alpha that can be sold before the price falls below `limitPrice`: x' = √(x·y·1e9 / L). */
export function maxAlphaForPrice(s: StorageAccess, netuid: number, limitPrice: bigint): bigint {
  if (!isDynamic(s, netuid)) return limitPrice <= 1_000_000_000n ? (1n << 64n) - 1n : 0n;
  if (limitPrice === 0n) return (1n << 64n) - 1n;
  const x = big(s, SubnetAlphaIn, [netuid]);
  const y = big(s, SubnetTAO, [netuid]);
  const delta = isqrt((x * y * 1_000_000_000n) / limitPrice) - x;
  if (delta <= 0n) return 0n;
  const rate = BigInt(num(s, FeeRate, [netuid]));
  return (delta * U16_MAX) / (U16_MAX - rate);
}

/**
 * `swap_tao_for_alpha`: `tao` enters the pool (less the fee, which is burned: the devnet has no block
 * author to pay), the bought alpha leaves the reserve and becomes outstanding.
 */
export function swapTaoForAlpha(s: StorageAccess, netuid: number, tao: bigint): SwapResult {
  const r = simTaoForAlpha(s, netuid, tao);
  addU64(s, SubnetAlphaIn, [netuid], -r.paidOut);
  addU64(s, SubnetAlphaOut, [netuid], r.paidOut);
  addU64(s, SubnetTAO, [netuid], r.paidIn);
  addU64(s, TotalStake, [], r.paidIn);
  s.set(SubnetVolume, [netuid], BigInt(s.get(SubnetVolume, [netuid]).toString()) + tao);
  return r;
}

/** `swap_alpha_for_tao` (+ the fee's burn): sold alpha returns to the reserve, TAO leaves the pool. */
export function swapAlphaForTao(s: StorageAccess, netuid: number, alpha: bigint): SwapResult {
  const r = simAlphaForTao(s, netuid, alpha);
  addU64(s, SubnetAlphaIn, [netuid], r.paidIn);
  addU64(s, SubnetAlphaOut, [netuid], -(r.paidIn + r.fee));
  addU64(s, SubnetTAO, [netuid], -r.paidOut);
  addU64(s, TotalStake, [], -r.paidOut);
  s.set(SubnetVolume, [netuid], BigInt(s.get(SubnetVolume, [netuid]).toString()) + r.paidOut);
  return r;
}
