/**
 * Who aggregates window w and signs its checkpoint: the validator-permitted uid with the highest stake
 * weight at the election block (the first block of window w + 1), other than the subnet owner's hotkey;
 * ties go to the lowest uid; nobody when no other uid holds a permit. Every party reading the same block
 * elects the same hotkey.
 *
 * The owner's hotkey is left out because under dynamic TAO it collects the owner's cut as stake every
 * epoch and holds a permit whether or not anyone runs a validator on it: electing it would stop
 * training on every subnet whose owner does not aggregate. An owner who wants to aggregate registers a
 * validator hotkey like anyone else (the owner's hotkey signs genesis only).
 */
export interface ElectionState {
  readonly hotkeys: readonly string[];
  /** Stake weight as consensus counts it, by uid. */
  readonly stake: readonly bigint[];
  readonly validatorPermit: readonly boolean[];
  /** The subnet owner's hotkey at the election block, never elected. */
  readonly ownerHotkey?: string | undefined;
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
    if (!permit || hotkey === undefined || hotkey === state.ownerHotkey) return;
    if (best === null || stake > best.stake) best = { uid, hotkey, stake };
  });
  return best;
}
