/**
 * Which subnet hyperparameter is set by which call at spec 424, and who may sign it: the subnet owner
 * (directly, no Sudo) or only root (`Sudo.sudo` by the sudo key, which a subnet owner on Bittensor does
 * not hold). Tempo is the owner's through `SubtensorModule.set_tempo` within [360, 50400], root's
 * through `AdminUtils.sudo_set_tempo` with any value.
 */
export interface SubnetHyperparameterUpdate {
  // Owner-settable.
  tempo?: number;
  maxAllowedUids?: number;
  immunityPeriod?: number;
  minAllowedWeights?: number;
  minBurn?: bigint;
  maxBurn?: bigint;
  weightsVersionKey?: bigint;
  bondsMovingAverage?: bigint;
  bondsPenalty?: number;
  servingRateLimit?: bigint;
  adjustmentAlpha?: bigint;
  rho?: number;
  commitRevealWeightsEnabled?: boolean;
  /** Epochs between a commit and its reveal (1..100). */
  commitRevealPeriod?: bigint;
  /** Activity cutoff as a factor of tempo, in thousandths (1000..50000). */
  activityCutoffFactorMilli?: number;
  // Root-only.
  weightsSetRateLimit?: bigint;
  maxAllowedValidators?: number;
  kappa?: number;
  networkRegistrationAllowed?: boolean;
  adjustmentInterval?: number;
  targetRegistrationsPerInterval?: number;
  maxRegistrationsPerBlock?: number;
  minAllowedUids?: number;
  minNonImmuneUids?: number;
}

export type HyperparameterField = keyof SubnetHyperparameterUpdate;

/** Owner-settable fields → `[pallet, call]` (camelCase as @polkadot/api exposes them). */
export const OWNER_CALLS: Partial<Record<HyperparameterField, readonly [string, string]>> = {
  tempo: ['subtensorModule', 'setTempo'],
  maxAllowedUids: ['adminUtils', 'sudoSetMaxAllowedUids'],
  immunityPeriod: ['adminUtils', 'sudoSetImmunityPeriod'],
  minAllowedWeights: ['adminUtils', 'sudoSetMinAllowedWeights'],
  minBurn: ['adminUtils', 'sudoSetMinBurn'],
  maxBurn: ['adminUtils', 'sudoSetMaxBurn'],
  weightsVersionKey: ['adminUtils', 'sudoSetWeightsVersionKey'],
  bondsMovingAverage: ['adminUtils', 'sudoSetBondsMovingAverage'],
  bondsPenalty: ['adminUtils', 'sudoSetBondsPenalty'],
  servingRateLimit: ['adminUtils', 'sudoSetServingRateLimit'],
  adjustmentAlpha: ['adminUtils', 'sudoSetAdjustmentAlpha'],
  rho: ['adminUtils', 'sudoSetRho'],
  commitRevealWeightsEnabled: ['adminUtils', 'sudoSetCommitRevealWeightsEnabled'],
  commitRevealPeriod: ['adminUtils', 'sudoSetCommitRevealWeightsInterval'],
  activityCutoffFactorMilli: ['subtensorModule', 'setActivityCutoffFactor'],
};

/** Root-only fields → `[pallet, call]`, dispatched inside `Sudo.sudo`. */
export const ROOT_CALLS: Partial<Record<HyperparameterField, readonly [string, string]>> = {
  tempo: ['adminUtils', 'sudoSetTempo'],
  weightsSetRateLimit: ['adminUtils', 'sudoSetWeightsSetRateLimit'],
  maxAllowedValidators: ['adminUtils', 'sudoSetMaxAllowedValidators'],
  kappa: ['adminUtils', 'sudoSetKappa'],
  networkRegistrationAllowed: ['adminUtils', 'sudoSetNetworkRegistrationAllowed'],
  adjustmentInterval: ['adminUtils', 'sudoSetAdjustmentInterval'],
  targetRegistrationsPerInterval: ['adminUtils', 'sudoSetTargetRegistrationsPerInterval'],
  maxRegistrationsPerBlock: ['adminUtils', 'sudoSetMaxRegistrationsPerBlock'],
  minAllowedUids: ['adminUtils', 'sudoSetMinAllowedUids'],
  minNonImmuneUids: ['adminUtils', 'sudoSetMinNonImmuneUids'],
};

/** The fields of `update` only root may set (everything without an owner call). */
export function rootOnlyFields(update: SubnetHyperparameterUpdate): HyperparameterField[] {
  return (Object.keys(update) as HyperparameterField[]).filter((f) => update[f] !== undefined && OWNER_CALLS[f] === undefined);
}

/** Tempo bounds of the owner's `set_tempo` (MinTempo, MaxTempo). */
export const OWNER_TEMPO_RANGE = [360, 50_400] as const;
