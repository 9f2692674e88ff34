/**
 * From final scores to the weight vector a validator sets on chain: the top `topN` miners with a
 * positive final score, weight ∝ final^power, normalised to sum to 1. Anyone else gets 0. The chain
 * client turns these into u16 weights. Deterministic: ties broken by lower uid.
 */
export interface WeightOptions {
  topN: number;
  power: number;
}

export const defaultWeightOptions: WeightOptions = { topN: 15, power: 2 };

export function weightsFromScores(scores: ReadonlyArray<{ uid: number; final: number }>, options: WeightOptions = defaultWeightOptions): Map<number, number> {
  const ranked = scores
    .filter((s) => Number.isFinite(s.final) && s.final > 0)
    .sort((a, b) => b.final - a.final || a.uid - b.uid)
    .slice(0, options.topN);
  const raw = ranked.map((s) => Math.pow(s.final, options.power));
  const total = raw.reduce((a, b) => a + b, 0);
  const out = new Map<number, number>();
  if (total <= 0) return out;
  ranked.forEach((s, i) => out.set(s.uid, raw[i]! / total));
  return out;
}
