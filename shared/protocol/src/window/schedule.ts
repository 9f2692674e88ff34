/**
 * Which checkpoint each window trains from, and who turns a window into a checkpoint.
 *
 * Windows are pipelined so that nobody waits on anybody:
 *   window w     miners train from base(w) and upload before the first block of w + 1;
 *   window w+1   validators evaluate window w's updates; the aggregator for w (the top-staked permitted
 *                validator at the first block of w + 1) publishes checkpoint w = checkpoint w − 1 +
 *                outer step of window w's best updates;
 *   window w+2   miners train from checkpoint w.
 * So base(w) is the newest checkpoint whose window is at most w − 2. A window that produced no
 * checkpoint (no valid updates, or no aggregator) just leaves the previous one as the base.
 */
export const BASE_LAG_WINDOWS = 2;

/** The newest checkpoint window a miner in `window` may train from. */
export function baseWindowLimit(window: number): number {
  return window - BASE_LAG_WINDOWS;
}

/** Among known checkpoint windows, the base for `window` (undefined before the first usable one). */
export function pickBaseWindow(checkpointWindows: Iterable<number>, window: number): number | undefined {
  let best: number | undefined;
  const limit = baseWindowLimit(window);
  for (const w of checkpointWindows) if (w <= limit && (best === undefined || w > best)) best = w;
  return best;
}

/** The window whose first block decides who aggregates (and signs) checkpoint `window`. */
export function aggregatorElectionWindow(checkpointWindow: number): number {
  return checkpointWindow + 1;
}

/**
 * The bases an update for `window` may declare: base(window) and the checkpoint before it (a miner that
 * started training just before base(window) arrived is still useful), newest first.
 */
export function acceptedBases<T extends { window: number }>(chain: readonly T[], window: number): T[] {
  const base = pickBaseWindow(chain.map((c) => c.window), window);
  if (base === undefined) return [];
  const i = chain.findIndex((c) => c.window === base);
  return [chain[i], chain[i - 1]].filter((c): c is T => c !== undefined);
}
