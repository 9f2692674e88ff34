/**
 * Pay rules beyond one window's score, as Templar has them and users of a training subnet expect
 * (all parameters in the run configuration's `scoring` section):
 *   - misses cost more when repeated: after n consecutive windows missing or rejected, a miner's final
 *     score is multiplied by missPenalties[n − 1] (the last entry repeats; default 0.75, 0.5, then 0);
 *     one scored window clears it;
 *   - a newly registered hotkey is evaluated but earns nothing for its first warmupWindows windows, so
 *     a fresh registration can't cash in one lucky window (nor can re-registering reset penalties);
 *   - an optional burnShare of every validator's weight goes to the subnet owner's uid.
 */
export function missMultiplier(consecutiveMisses: number, missPenalties: readonly number[]): number {
  if (consecutiveMisses <= 0 || missPenalties.length === 0) return 1;
  return missPenalties[Math.min(consecutiveMisses, missPenalties.length) - 1]!;
}

export function warmedUp(windowsEvaluated: number, warmupWindows: number): boolean {
  return windowsEvaluated >= warmupWindows;
}

/**
 * Miners' weights (summing to 1) with burnShare moved to the owner's uid; without an owner uid or a
 * share the weights are returned unchanged. With no miner weight, the owner gets everything.
 */
export function withBurnShare(weights: ReadonlyMap<number, number>, ownerUid: number | undefined, burnShare: number): Map<number, number> {
  if (ownerUid === undefined || burnShare <= 0) return new Map(weights);
  const out = new Map<number, number>();
  let total = 0;
  for (const [uid, w] of weights) if (uid !== ownerUid) total += w;
  if (total <= 0) return new Map([[ownerUid, 1]]);
  for (const [uid, w] of weights) if (uid !== ownerUid) out.set(uid, (w / total) * (1 - burnShare));
  out.set(ownerUid, burnShare);
  return out;
}
