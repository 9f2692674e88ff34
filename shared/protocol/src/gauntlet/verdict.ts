/**
 * The outcome of evaluating one miner in one window. Expected outcomes are values, not exceptions:
 * every rejection carries a reason from this closed set, and rejected miners score the penalty.
 */
export const rejectionReasons = [
  'missing', // nothing uploaded for the window in time, or its seal key not revealed in time
  'late', // first seen by this validator after the window's deadline (and its grace)
  'invalid', // failed the wire format, signature, header or shape checks
  'non_finite', // NaN/Inf after decoding or in a loss
  'oversized', // no longer given (every update counts at the median norm); kept so earlier verdicts still read
  'copy', // the same work as an earlier window's update, or as another hotkey's in this window
  'not_improving', // does not lower the loss on the miner's own assigned data
  'unavailable', // the miner's commitment or bucket could not be read (refused endpoint, timeout, budget)
] as const;

export type RejectionReason = (typeof rejectionReasons)[number];

export interface Losses {
  /** Mean loss on the miner's assigned pages, before and after applying its update. */
  ownBefore: number;
  ownAfter: number;
  /** Mean loss on pages the miner was not assigned (validator-seeded), before and after. */
  randomBefore: number;
  randomAfter: number;
}

export type Verdict =
  | {
      status: 'scored';
      hotkey: string;
      uid: number;
      losses: Losses;
      /** Relative improvement on the miner's own pages and on random pages. */
      ownImprovement: number;
      randomImprovement: number;
      /** +1 when it improved its own pages more than random ones (it trained on what it was given). */
      assignedDataIndicator: 1 | -1;
      /** The number this window's ranking uses. */
      score: number;
    }
  | { status: 'rejected'; hotkey: string; uid: number; reason: RejectionReason; detail: string; losses?: Losses };
