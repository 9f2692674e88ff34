/**
 * The fixed-point arithmetic subtensor's rules use, emulated exactly with bigints so the devnet's rao
 * amounts match the chain's: U96F32 / U64F64 (`substrate_fixed`; multiplication and division truncate,
 * conversion to an integer floors), Q32 decay factors, and Perbill / Perquintill style ratios.
 * A value is its raw bits: `x · 2^frac`.
 */
export interface Fixed {
  readonly bits: bigint;
  readonly frac: bigint;
}

export const U96F32 = 32n;
export const U64F64 = 64n;

export function fromInt(n: bigint, frac: bigint): Fixed {
  return { bits: n << frac, frac };
}

/** `from_num(a) / from_num(b)`, truncated to `frac` fractional bits (0 when b = 0, as safe_div). */
export function ratio(a: bigint, b: bigint, frac: bigint): Fixed {
  return { bits: b === 0n ? 0n : (a << frac) / b, frac };
}

export function mul(a: Fixed, b: Fixed): Fixed {
  return { bits: (a.bits * b.bits) >> b.frac, frac: a.frac };
}

export function add(a: Fixed, b: Fixed): Fixed {
  return { bits: a.bits + b.bits, frac: a.frac };
}

export function sub(a: Fixed, b: Fixed): Fixed {
  const d = a.bits - b.bits;
  return { bits: d < 0n ? 0n : d, frac: a.frac };
}

export function half(a: Fixed): Fixed {
  return { bits: a.bits >> 1n, frac: a.frac };
}

/** `saturating_to_num::<u64>()`: the integer part. */
export function floor(a: Fixed): bigint {
  return a.bits >> a.frac;
}

const Q32_ONE = 1n << 32n;

/** `mul_by_q32`: `(value · factor) >> 32`. */
export function mulQ32(value: bigint, factor: bigint): bigint {
  return (value * factor) >> 32n;
}

function powQ32(base: bigint, exp: number): bigint {
  let result = Q32_ONE;
  let factor = base;
  let power = exp;
  while (power > 0) {
    if ((power & 1) === 1) result = mulQ32(result, factor);
    power >>= 1;
    if (power > 0) factor = mulQ32(factor, factor);
  }
  return result;
}

const decayCache = new Map<number, bigint>();

/** The per-block factor f (Q32) with f^halfLife ≈ 0.5, found by bisection as subtensor does. */
export function decayFactorQ32(halfLife: number): bigint {
  if (halfLife === 0) return Q32_ONE;
  const cached = decayCache.get(halfLife);
  if (cached !== undefined) return cached;
  let lo = 0n;
  let hi = Q32_ONE;
  while (lo + 1n < hi) {
    const mid = lo + ((hi - lo) >> 1n);
    if (powQ32(mid, halfLife) > Q32_ONE >> 1n) hi = mid;
    else lo = mid;
  }
  decayCache.set(halfLife, lo);
  return lo;
}
