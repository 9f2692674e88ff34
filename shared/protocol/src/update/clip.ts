/**
 * The one rule for how much of an update enters the model, shared by evaluation (what the update would
 * do if aggregated) and the outer step (what it does):
 *   reference = the median ‖Δ‖₂ of the window's valid updates (lower middle for an even count)
 *   scale(Δ)  = min(1, reference / ‖Δ‖₂)
 * so an update larger than the median counts as the median, a smaller one as itself.
 */
export function medianNorm(norms: readonly number[]): number | null {
  const finite = norms.filter((n) => Number.isFinite(n));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

export function clipScale(norm: number, reference: number | null): number {
  if (reference === null || !(reference > 0) || !(norm > reference)) return 1;
  return reference / norm;
}
