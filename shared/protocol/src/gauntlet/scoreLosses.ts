import type { Losses, Verdict } from './verdict.js';

/**
 * The Gauntlet's per-window score, from four losses measured from the window's base checkpoint:
 *
 *   ownImprovement    = (ownBefore − ownAfter) / ownBefore
 *   randomImprovement = (randomBefore − randomAfter) / randomBefore
 *   score             = randomImprovement                  (what the update does for the model in general)
 *   indicator         = +1 if ownImprovement > randomImprovement + margin, else −1
 *
 * An update that doesn't lower the loss on its own assigned data is rejected as `not_improving`. The
 * indicator feeds a moving average (see `ratings/minerRatings.ts`) that zeroes the pay of miners who
 * don't train on their assigned pages (copied work, someone else's pages), whose updates help random
 * data as much as assigned data. Same rule as Templar's gradient score and binary indicator.
 *
 * With a `control` (the window's aggregate of the other evaluated updates, on the same two batches)
 * the indicator compares each improvement with the aggregate's on the same pages:
 *   indicator = +1 if (own − controlOwn) > (random − controlRandom) + margin
 * which cancels how easy the miner's own pages happen to be — on a small model the plain comparison
 * across different pages is mostly that noise.
 */
export interface ScoreOptions {
  /** How much more the own-data improvement must be than the random-data one. */
  assignedMargin: number;
}

export const defaultScoreOptions: ScoreOptions = { assignedMargin: 0 };

export function scoreLosses(hotkey: string, uid: number, losses: Losses, options: ScoreOptions = defaultScoreOptions, control?: Losses): Verdict {
  const all = [losses.ownBefore, losses.ownAfter, losses.randomBefore, losses.randomAfter];
  if (!all.every((l) => Number.isFinite(l) && l > 0)) {
    return { status: 'rejected', hotkey, uid, reason: 'non_finite', detail: `losses ${all.map((l) => String(l)).join(', ')}`, losses };
  }
  const ownImprovement = (losses.ownBefore - losses.ownAfter) / losses.ownBefore;
  const randomImprovement = (losses.randomBefore - losses.randomAfter) / losses.randomBefore;
  if (ownImprovement <= 0) {
    return {
      status: 'rejected',
      hotkey,
      uid,
      reason: 'not_improving',
      detail: `own-data loss ${losses.ownBefore.toFixed(4)} → ${losses.ownAfter.toFixed(4)}`,
      losses,
    };
  }
  return {
    status: 'scored',
    hotkey,
    uid,
    losses,
    ownImprovement,
    randomImprovement,
    assignedDataIndicator: ownGap(ownImprovement, randomImprovement, control) > options.assignedMargin ? 1 : -1,
    score: randomImprovement,
  };
}

function relative(before: number, after: number): number {
  return (before - after) / before;
}

function ownGap(own: number, random: number, control: Losses | undefined): number {
  if (!control || ![control.ownBefore, control.ownAfter, control.randomBefore, control.randomAfter].every((l) => Number.isFinite(l) && l > 0)) return own - random;
  return own - relative(control.ownBefore, control.ownAfter) - (random - relative(control.randomBefore, control.randomAfter));
}
