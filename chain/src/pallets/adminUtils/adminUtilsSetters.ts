/**
 * The AdminUtils setters the devnet serves, each as the reference runtime defines it
 * (`pallets/admin-utils/src/lib.rs` at spec 424): who may call it (the subnet owner, signing directly,
 * or root; or root only), whether the admin freeze window applies, the owner's rate-limit key, bounds,
 * and what it writes and emits. Root-only setters refuse an owner with BadOrigin.
 */
import type { Codec } from '@polkadot/types/types';
import type { ArgDecl, DispatchContext, StorageItem } from '../../runtime/pallet.js';
import { subnetN } from '../subtensor/neurons.js';
import { subtensorError } from '../subtensor/origins.js';
import type { Hyperparameter } from '../subtensor/rateLimits.js';
import { big, num } from '../subtensor/read.js';
import * as S from '../subtensor/subtensorStorage.js';
import { subtensorConstants } from '../subtensor/subtensorConstants.js';
import { applyTempo } from '../subtensor/tempoControl.js';

export interface Setter {
  readonly index: number;
  readonly name: string;
  readonly args: readonly ArgDecl[];
  /** 'owner': the subnet owner (rate limited) or root; 'root': root only. */
  readonly origin: 'owner' | 'root';
  /** Refused inside the admin freeze window (for root too). */
  readonly window?: boolean;
  /** Per-subnet setters check that the subnet exists (AdminUtils.SubnetDoesNotExist). */
  readonly exists?: boolean;
  /** The owner's rate-limit key; `WeightsVersionKey` is limited by WeightsVersionKeyRateLimit tempos. */
  readonly limit?: Hyperparameter | 'WeightsVersionKey';
  /** Extra checks (throw the chain's error); `owner` tells whether the owner (not root) is calling. */
  check?(ctx: DispatchContext, netuid: number, value: Codec, owner: boolean): void;
  apply(ctx: DispatchContext, netuid: number, values: readonly Codec[]): void;
}

const NETUID: ArgDecl = { name: 'netuid', type: 'u16' };
const arg = (name: string, type: string): ArgDecl => ({ name, type });
const n = (c: Codec) => Number(c.toString());
const b = (c: Codec) => BigInt(c.toString());

/** A per-subnet value written to `item` with SubtensorModule's `event(netuid, value)`. */
function subnetValue(item: StorageItem, event: string | undefined): Setter['apply'] {
  return (ctx, netuid, values) => {
    const value = values[values.length - 1] as Codec;
    ctx.storage.set(item, [netuid], value);
    if (event !== undefined) ctx.emitFrom('SubtensorModule', event, [netuid, value]);
  };
}

/** A global value written to `item` with SubtensorModule's `event(value)`. */
function globalValue(item: StorageItem, event: string | undefined): Setter['apply'] {
  return (ctx, _netuid, values) => {
    const value = values[0] as Codec;
    ctx.storage.set(item, [], value);
    if (event !== undefined) ctx.emitFrom('SubtensorModule', event, [value]);
  };
}

const owner = (index: number, name: string, valueArg: ArgDecl, limit: Hyperparameter, apply: Setter['apply'], check?: Setter['check']): Setter => ({
  index,
  name,
  args: [NETUID, valueArg],
  origin: 'owner',
  window: true,
  exists: true,
  limit,
  apply,
  ...(check === undefined ? {} : { check }),
});

const rootSubnet = (index: number, name: string, valueArg: ArgDecl, opts: { window: boolean; exists: boolean }, apply: Setter['apply'], check?: Setter['check']): Setter => ({
  index,
  name,
  args: [NETUID, valueArg],
  origin: 'root',
  ...opts,
  apply,
  ...(check === undefined ? {} : { check }),
});

const rootGlobal = (index: number, name: string, valueArg: ArgDecl, apply: Setter['apply'], check?: Setter['check']): Setter => ({
  index,
  name,
  args: [valueArg],
  origin: 'root',
  apply,
  ...(check === undefined ? {} : { check }),
});

export const setters: readonly Setter[] = [
  owner(3, 'sudo_set_serving_rate_limit', arg('serving_rate_limit', 'u64'), 'ServingRateLimit', subnetValue(S.ServingRateLimit, 'ServingRateLimitSet')),
  {
    index: 6,
    name: 'sudo_set_weights_version_key',
    args: [NETUID, arg('weights_version_key', 'u64')],
    origin: 'owner',
    window: true,
    exists: true,
    limit: 'WeightsVersionKey',
    apply: subnetValue(S.WeightsVersionKey, 'WeightsVersionKeySet'),
  },
  rootSubnet(7, 'sudo_set_weights_set_rate_limit', arg('weights_set_rate_limit', 'u64'), { window: false, exists: true }, subnetValue(S.WeightsSetRateLimit, 'WeightsSetRateLimitSet')),
  rootSubnet(8, 'sudo_set_adjustment_interval', arg('adjustment_interval', 'u16'), { window: false, exists: true }, subnetValue(S.AdjustmentInterval, 'AdjustmentIntervalSet')),
  owner(9, 'sudo_set_adjustment_alpha', arg('adjustment_alpha', 'u64'), 'AdjustmentAlpha', subnetValue(S.AdjustmentAlpha, 'AdjustmentAlphaSet')),
  owner(13, 'sudo_set_immunity_period', arg('immunity_period', 'u16'), 'ImmunityPeriod', subnetValue(S.ImmunityPeriod, 'ImmunityPeriodSet')),
  owner(14, 'sudo_set_min_allowed_weights', arg('min_allowed_weights', 'u16'), 'MinAllowedWeights', subnetValue(S.MinAllowedWeights, 'MinAllowedWeightSet')),
  owner(15, 'sudo_set_max_allowed_uids', arg('max_allowed_uids', 'u16'), 'MaxAllowedUids', subnetValue(S.MaxAllowedUids, 'MaxAllowedUidsSet'), (ctx, netuid, value) => {
    if (n(value) < num(ctx.storage, S.MinAllowedUids, [netuid])) throw ctx.error('MaxAllowedUidsLessThanMinAllowedUids');
    if (subnetN(ctx.storage, netuid) > n(value)) throw ctx.error('MaxAllowedUIdsLessThanCurrentUIds');
    if (n(value) > 256) throw ctx.error('MaxAllowedUidsGreaterThanDefaultMaxAllowedUids');
  }),
  rootSubnet(16, 'sudo_set_kappa', arg('kappa', 'u16'), { window: false, exists: true }, subnetValue(S.Kappa, 'KappaSet')),
  owner(17, 'sudo_set_rho', arg('rho', 'u16'), 'Rho', subnetValue(S.Rho, undefined)),
  owner(18, 'sudo_set_activity_cutoff', arg('activity_cutoff', 'u16'), 'ActivityCutoff', subnetValue(S.ActivityCutoff, 'ActivityCutoffSet'), (ctx, _netuid, value) => {
    if (n(value) < num(ctx.storage, S.MinActivityCutoff)) throw subtensorError('ActivityCutoffTooLow');
  }),
  rootSubnet(19, 'sudo_set_network_registration_allowed', arg('registration_allowed', 'bool'), { window: false, exists: false }, subnetValue(S.NetworkRegistrationAllowed, 'RegistrationAllowed')),
  rootSubnet(21, 'sudo_set_target_registrations_per_interval', arg('target_registrations_per_interval', 'u16'), { window: true, exists: true }, subnetValue(S.TargetRegistrationsPerInterval, 'RegistrationPerIntervalSet')),
  owner(22, 'sudo_set_min_burn', arg('min_burn', 'u64'), 'MinBurn', subnetValue(S.MinBurn, 'MinBurnSet'), (ctx, netuid, value) => {
    if (b(value) >= subtensorConstants.MinBurnUpperBound.value || b(value) >= big(ctx.storage, S.MaxBurn, [netuid])) throw ctx.error('ValueNotInBounds');
  }),
  owner(23, 'sudo_set_max_burn', arg('max_burn', 'u64'), 'MaxBurn', subnetValue(S.MaxBurn, 'MaxBurnSet'), (ctx, netuid, value) => {
    if (b(value) <= subtensorConstants.MaxBurnLowerBound.value || b(value) <= big(ctx.storage, S.MinBurn, [netuid])) throw ctx.error('ValueNotInBounds');
  }),
  rootSubnet(25, 'sudo_set_max_allowed_validators', arg('max_allowed_validators', 'u16'), { window: true, exists: true }, subnetValue(S.MaxAllowedValidators, 'MaxAllowedValidatorsSet'), (ctx, netuid, value) => {
    if (n(value) > num(ctx.storage, S.MaxAllowedUids, [netuid])) throw ctx.error('MaxValidatorsLargerThanMaxUIds');
  }),
  owner(26, 'sudo_set_bonds_moving_average', arg('bonds_moving_average', 'u64'), 'BondsMovingAverage', subnetValue(S.BondsMovingAverage, 'BondsMovingAverageSet'), (ctx, _netuid, value, isOwner) => {
    if (isOwner && b(value) > 975_000n) throw ctx.error('BondsMovingAverageMaxReached');
  }),
  rootSubnet(27, 'sudo_set_max_registrations_per_block', arg('max_registrations_per_block', 'u16'), { window: true, exists: true }, subnetValue(S.MaxRegistrationsPerBlock, 'MaxRegistrationsPerBlockSet')),
  rootGlobal(28, 'sudo_set_subnet_owner_cut', arg('subnet_owner_cut', 'u16'), globalValue(S.SubnetOwnerCut, 'SubnetOwnerCutSet')),
  rootGlobal(29, 'sudo_set_network_rate_limit', arg('rate_limit', 'u64'), globalValue(S.NetworkRateLimit, 'NetworkRateLimitSet')),
  {
    index: 30,
    name: 'sudo_set_tempo',
    args: [NETUID, arg('tempo', 'u16')],
    origin: 'root',
    window: true,
    exists: true,
    // Root may set any tempo (even 0, which stops the subnet's epochs); the cycle restarts now.
    apply: (ctx, netuid, values) => applyTempo(ctx, netuid, n(values[1] as Codec)),
  },
  rootGlobal(36, 'sudo_set_network_min_lock_cost', arg('lock_cost', 'u64'), globalValue(S.NetworkMinLockCost, 'NetworkMinLockCostSet')),
  rootGlobal(37, 'sudo_set_subnet_limit', arg('max_subnets', 'u16'), globalValue(S.SubnetLimit, 'SubnetLimitSet')),
  rootGlobal(38, 'sudo_set_lock_reduction_interval', arg('interval', 'u64'), globalValue(S.NetworkLockReductionInterval, 'NetworkLockCostReductionIntervalSet')),
  rootGlobal(42, 'sudo_set_stake_threshold', arg('min_stake', 'u64'), globalValue(S.StakeThreshold, 'StakeThresholdSet')),
  owner(49, 'sudo_set_commit_reveal_weights_enabled', arg('enabled', 'bool'), 'CommitRevealEnabled', subnetValue(S.CommitRevealWeightsEnabled, 'CommitRevealEnabled')),
  owner(57, 'sudo_set_commit_reveal_weights_interval', arg('interval', 'u64'), 'WeightCommitInterval', subnetValue(S.RevealPeriodEpochs, 'CommitRevealPeriodsSet'), (_ctx, _netuid, value) => {
    if (b(value) > 100n) throw subtensorError('RevealPeriodTooLarge');
    if (b(value) < 1n) throw subtensorError('RevealPeriodTooSmall');
  }),
  owner(60, 'sudo_set_bonds_penalty', arg('bonds_penalty', 'u16'), 'BondsPenalty', subnetValue(S.BondsPenalty, 'BondsPenaltySet')),
  rootSubnet(66, 'sudo_set_subtoken_enabled', arg('subtoken_enabled', 'bool'), { window: true, exists: false }, subnetValue(S.SubtokenEnabled, undefined)),
  rootSubnet(79, 'sudo_set_min_allowed_uids', arg('min_allowed_uids', 'u16'), { window: true, exists: true }, subnetValue(S.MinAllowedUids, 'MinAllowedUidsSet'), (ctx, netuid, value) => {
    if (n(value) >= num(ctx.storage, S.MaxAllowedUids, [netuid])) throw ctx.error('MinAllowedUidsGreaterThanMaxAllowedUids');
    if (n(value) >= subnetN(ctx.storage, netuid)) throw ctx.error('MinAllowedUidsGreaterThanCurrentUids');
  }),
  rootGlobal(74, 'sudo_set_admin_freeze_window', arg('window', 'u16'), globalValue(S.AdminFreezeWindow, 'AdminFreezeWindowSet')),
  rootGlobal(75, 'sudo_set_owner_hparam_rate_limit', arg('epochs', 'u16'), globalValue(S.OwnerHyperparamRateLimit, 'OwnerHyperparamRateLimitSet')),
  rootSubnet(84, 'sudo_set_min_non_immune_uids', arg('min', 'u16'), { window: false, exists: false }, subnetValue(S.MinNonImmuneUids, 'MinNonImmuneUidsSet')),
  rootSubnet(94, 'sudo_set_subnet_emission_enabled', arg('enabled', 'bool'), { window: false, exists: true }, (ctx, netuid, values) => {
    if (netuid === 0) throw ctx.error('NotPermittedOnRootSubnet');
    ctx.storage.set(S.SubnetEmissionEnabled, [netuid], values[1] as Codec);
    ctx.emit('SubnetEmissionEnabledSet', [netuid, values[1] as Codec]);
  }),
  rootGlobal(96, 'sudo_set_max_epochs_per_block', arg('max_epochs_per_block', 'u8'), globalValue(S.MaxEpochsPerBlock, 'MaxEpochsPerBlockSet'), (ctx, _netuid, value) => {
    if (n(value) < 1) throw ctx.error('ValueNotInBounds');
  }),
];
