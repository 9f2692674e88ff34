/**
 * The registration price at spec 424 (`subnets/registration.rs`): every block `Burn` decays with
 * half-life `BurnHalfLife` (a Q32 factor found by bisection), and each registration multiplies it by
 * `BurnIncreaseMult` (U64F64, 1.26 by default); both clamp to [MinBurn, MaxBurn]. The interval-based
 * adjustment and the per-block / per-interval registration caps of spec 233 are gone.
 */
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { decayFactorQ32, mulQ32 } from './fixedPoint.js';
import { big, num } from './read.js';
import { Burn, BurnHalfLife, BurnIncreaseMult, MaxBurn, MinBurn } from './subtensorStorage.js';

function clamp(s: StorageAccess, netuid: number, value: bigint): bigint {
  const min = big(s, MinBurn, [netuid]);
  const max = big(s, MaxBurn, [netuid]);
  return value < min ? min : value > max ? max : value;
}

/** One block of decay (`update_registration_prices_for_networks`). */
export function decayBurn(s: StorageAccess, netuid: number, block: number): void {
  const burn = big(s, Burn, [netuid]);
  const halfLife = num(s, BurnHalfLife, [netuid]);
  const decayed = clamp(s, netuid, halfLife > 0 && block > 1 ? mulQ32(burn, decayFactorQ32(halfLife)) : burn);
  if (decayed !== burn) s.set(Burn, [netuid], decayed);
}

/** `bump_registration_price_after_registration`: Burn × max(1, BurnIncreaseMult), floored. */
export function bumpBurn(s: StorageAccess, netuid: number): void {
  if (netuid === 0) return;
  const multBits = BigInt((s.get(BurnIncreaseMult, [netuid]) as unknown as { bits: { toString(): string } }).bits.toString());
  const mult = multBits < 1n << 64n ? 1n << 64n : multBits;
  s.set(Burn, [netuid], clamp(s, netuid, (big(s, Burn, [netuid]) * mult) >> 64n));
}
