/**
 * The u16 quantisations subtensor applies on the way into storage. Fractions in [0, 1] are stored as
 * `floor(x · 65535)` (`fixed_proportion_to_u16`); weight rows and pruning scores are max-upscaled so the
 * largest entry becomes 65535 (`vec_max_upscale_to_u16`, rounding to nearest).
 */
export const U16_MAX = 65535;

/**
 * `floor(x · 65535)`, clamped to [0, 65535]. The tiny epsilon absorbs float64 round-off such as
 * 0.9999999999999999 for an exact 1, where subtensor's fixed-point arithmetic would give 65535.
 */
export function proportionToU16(x: number): number {
  if (!(x > 0)) return 0;
  const v = Math.floor(x * U16_MAX + 1e-9);
  return v > U16_MAX ? U16_MAX : v;
}

/** Max-upscale to u16 with rounding; an all-zero vector stays zero. */
export function maxUpscaleToU16(values: readonly number[]): number[] {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max === 0) return values.map(() => 0);
  return values.map((v) => Math.min(U16_MAX, Math.round((v * U16_MAX) / max)));
}

/**
 * Client-side preparation of `set_weights` values: non-negative finite scores → u16 with the largest at
 * 65535. Subtensor max-upscales again on arrival, so sending max-upscaled values is the idempotent form.
 */
export function weightsToU16(scores: readonly number[]): number[] {
  for (const s of scores) {
    if (!Number.isFinite(s) || s < 0) throw new RangeError(`weights must be finite and non-negative, got ${s}`);
  }
  return maxUpscaleToU16(scores);
}

/**
 * Whether a (max-upscaled) u16 weight vector respects `MaxWeightsLimit` (subtensor
 * `check_vec_max_limited`): the largest share of the row sum must be ≤ limit / 65535. A limit of 65535
 * disables the check.
 */
export function withinMaxWeightLimit(weights: readonly number[], maxWeightLimit: number): boolean {
  if (maxWeightLimit >= U16_MAX) return true;
  let sum = 0;
  let max = 0;
  for (const w of weights) {
    sum += w;
    if (w > max) max = w;
  }
  if (sum === 0) return true;
  return max / sum <= maxWeightLimit / U16_MAX;
}
