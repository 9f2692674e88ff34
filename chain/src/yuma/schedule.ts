/**
 * When epochs run and how each block's alpha is split, at spec 233.
 *
 * Epoch schedule, exactly as subtensor's code computes it: `blocks_until_next_epoch = tempo − (block +
 * netuid + 1) mod (tempo + 1)` and the epoch runs when that is 0, i.e. when `(block + netuid + 1) mod
 * (tempo + 1) == tempo` (subtensor's doc comment says "== 0", but its table — tempo 100, netuid 0 → first
 * epoch at block 99 — and its `should_run_epoch` follow the code). Every tempo + 1 blocks per subnet, with
 * a per-netuid offset. Tempo 0 disables epochs.
 */
export function isEpochBlock(block: number, netuid: number, tempo: number): boolean {
  return blocksUntilNextEpoch(block, netuid, tempo) === 0;
}

/** Blocks left until the next epoch block, 0 when `block` itself is one (`blocks_until_next_epoch`). */
export function blocksUntilNextEpoch(block: number, netuid: number, tempo: number): number {
  if (tempo === 0) return Number.POSITIVE_INFINITY;
  return tempo - ((block + netuid + 1) % (tempo + 1));
}

/** One alpha per block per subnet, in rao (the devnet skips halving). */
export const ALPHA_PER_BLOCK = 1_000_000_000;

/** `SubnetOwnerCut` default: 11796 / 65535 ≈ 18%. */
export const DEFAULT_SUBNET_OWNER_CUT = 11796;

export interface BlockEmissionSplit {
  /** Accrues in `PendingOwnerCut`, staked to the subnet owner's hotkey at the epoch. */
  ownerCut: number;
  /** Accrues in `PendingEmission`, handed to the epoch (miners and validators, half each). */
  pending: number;
}

/** `owner_cut = floor(alpha_out · SubnetOwnerCut / 65535)`; the rest is pending emission. */
export function splitBlockEmission(alphaOut: number, subnetOwnerCut: number = DEFAULT_SUBNET_OWNER_CUT): BlockEmissionSplit {
  const ownerCut = Math.floor((alphaOut * subnetOwnerCut) / 65535);
  return { ownerCut, pending: alphaOut - ownerCut };
}
