/**
 * `LastRateLimitedBlock` (spec 424): the last block of rate-limited actions, keyed by an enum —
 * `{ NetworkLastRegistered: null }`, `{ OwnerHyperparamUpdate: [netuid, hyperparameter] }`,
 * `{ SetSNOwnerHotkey: netuid }`, ... A missing entry is 0, which always passes a limit.
 */
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { big } from './read.js';
import { LastRateLimitedBlock } from './subtensorStorage.js';

export type RateLimitKey =
  | { NetworkLastRegistered: null }
  | { OwnerHyperparamUpdate: [number, Hyperparameter] }
  | { SetSNOwnerHotkey: number };

/** `Hyperparameter` variants that owner setters are rate limited by (subtensor `utils/rate_limiting.rs`). */
export type Hyperparameter =
  | 'ServingRateLimit'
  | 'MaxDifficulty'
  | 'AdjustmentAlpha'
  | 'ImmunityPeriod'
  | 'MinAllowedWeights'
  | 'Rho'
  | 'ActivityCutoff'
  | 'MinBurn'
  | 'MaxBurn'
  | 'BondsMovingAverage'
  | 'BondsPenalty'
  | 'CommitRevealEnabled'
  | 'LiquidAlphaEnabled'
  | 'AlphaValues'
  | 'WeightCommitInterval'
  | 'TransferEnabled'
  | 'AlphaSigmoidSteepness'
  | 'Yuma3Enabled'
  | 'BondsResetEnabled'
  | 'ImmuneNeuronLimit'
  | 'RecycleOrBurn'
  | 'MaxAllowedUids'
  | 'ActivityCutoffFactorMilli'
  | 'TriggerEpoch';

export function lastRateLimitedBlock(s: StorageAccess, key: RateLimitKey): bigint {
  return big(s, LastRateLimitedBlock, [key]);
}

export function setLastRateLimitedBlock(s: StorageAccess, key: RateLimitKey, block: bigint): void {
  s.set(LastRateLimitedBlock, [key], block);
}

/** `check_passes_rate_limit`: the first action (last block 0) or `limit` blocks since the last. */
export function passesRateLimit(limit: bigint, block: number, last: bigint): boolean {
  return last === 0n || BigInt(block) - last >= limit;
}
