/**
 * How long an aggregator keeps checkpoint parameters in its bucket, written once so that what a joining
 * node fetches and what an aggregator deletes agree:
 *   - every signed manifest is kept (a few kilobytes each): the hash chain stays walkable to genesis;
 *   - the parameters of the newest `keepCheckpoints` checkpoints are kept: a node joins from the
 *     newest one and fetches parameters only for the newest few links (a miner its base, a validator
 *     the bases it rates against and the head it aggregates on), and evaluation workers read base(u) and
 *     the checkpoint before it — at most the 4th newest — so MIN_KEEP_CHECKPOINTS covers every reader
 *     with one checkpoint of slack for a download that spans a publication;
 *   - one snapshot per `snapshotEvery` windows: the parameters of the first checkpoint in each such span
 *     of windows stay for good (deeper history: replaying or auditing an old window, or restarting a
 *     run from a known point), so storage grows by one checkpoint per span, not per window.
 * A reader never needs an object this deletes: it starts from the newest checkpoint and, if a download
 * of an older link's parameters finds them gone, that link is simply held without parameters.
 */
export const MIN_KEEP_CHECKPOINTS = 5;

export interface RetentionRule {
  keepCheckpoints: number;
  /** Windows per snapshot span (0: no snapshots). */
  snapshotEvery: number;
}

/**
 * The checkpoint windows whose parameters may be deleted, given every window that has a manifest in the
 * bucket (`windows`, any order) and those that still have parameters (`withParams`).
 */
export function checkpointParamsToDelete(windows: readonly number[], withParams: readonly number[], rule: RetentionRule): number[] {
  const sorted = [...new Set(windows)].sort((a, b) => a - b);
  const keep = new Set(sorted.slice(Math.max(0, sorted.length - Math.max(1, rule.keepCheckpoints))));
  if (rule.snapshotEvery > 0) {
    // The first checkpoint of each span is its snapshot; manifests are never deleted, so the choice is stable.
    const seen = new Set<number>();
    for (const w of sorted) {
      const span = Math.floor(w / rule.snapshotEvery);
      if (!seen.has(span)) keep.add(w);
      seen.add(span);
    }
  }
  return [...new Set(withParams)].filter((w) => !keep.has(w)).sort((a, b) => a - b);
}
