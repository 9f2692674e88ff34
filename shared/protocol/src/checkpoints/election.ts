/**
 * Who aggregates window w and signs its checkpoint: the validator-permitted uid with the highest stake
 * weight at the election block (the first block of window w + 1); ties go to the lowest uid; nobody
 * when no uid holds a permit. Every party reading the same block elects the same hotkey.
 */
export interface ElectionState {
  readonly hotkeys: readonly string[];
  /** Stake weight as consensus counts it, by uid. */
  readonly stake: readonly bigint[];
  readonly validatorPermit: readonly boolean[];
}

export interface ElectedAggregator {
  uid: number;
  hotkey: string;
  stake: bigint;
}

export function electAggregator(state: ElectionState): ElectedAggregator | null {
  let best: ElectedAggregator | null = null;
  state.validatorPermit.forEach((permit, uid) => {
    const stake = state.stake[uid] ?? 0n;
    const hotkey = state.hotkeys[uid];
    if (!permit || hotkey === undefined) return;
    if (best === null || stake > best.stake) best = { uid, hotkey, stake };
  });
  return best;
}
