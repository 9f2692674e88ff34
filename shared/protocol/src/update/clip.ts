/**
 * The one rule for how much of an update enters the model, shared by evaluation (what the update would
 * do if aggregated) and the outer step (what it does):
 *   reference = the median ‖Δ‖₂ of the window's screened updates (lower middle for an even count)
 *   scale(Δ)  = reference / ‖Δ‖₂
 * Every update counts at exactly the reference norm, up or down, so a miner gains nothing by sending a
 * larger (or smaller) update than it trained: only its direction is scored and aggregated. The median
 * moves only if more than half of the window's updates move it; no update is rejected for its size
 * (gauntlet/screenUploads.ts says why).
 */
export function medianNorm(norms: readonly number[]): number | null {
  const finite = norms.filter((n) => Number.isFinite(n) && n > 0);
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/**
 * reference / norm; 0 for an empty or non-finite update; 1 without a reference (an update judged on
 * its own, outside any window, counts as it is).
 */
export function updateScale(norm: number, reference: number | null): number {
  if (!(norm > 0) || !Number.isFinite(norm)) return 0;
  if (reference === null || !(reference > 0)) return 1;
  return reference / norm;
}
