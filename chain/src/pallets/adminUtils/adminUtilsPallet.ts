/**
 * AdminUtils (index 19): the `sudo_set_*` hyperparameter calls with their real signatures, dispatched as
 * Root (through `Sudo.sudo`). Each writes the SubtensorModule storage item and emits SubtensorModule's
 * matching event, as the real pallet does. Devnet: Root only (the real chain also lets a subnet's owner
 * set some of them), see chain/src/pallets/subtensor/README.md.
 */
import type { Codec } from '@polkadot/types/types';
import { definePallet, weight, type ArgDecl, type CallDecl, type StorageItem } from '../../runtime/pallet.js';
import { subnetExists, subnetN } from '../subtensor/neurons.js';
import * as S from '../subtensor/subtensorStorage.js';

interface Setter {
  index: number;
  name: string;
  args: ArgDecl[];
  item: StorageItem;
  event: string | undefined;
}

const setters: Setter[] = [
  { index: 3, name: 'sudo_set_serving_rate_limit', args: [{ name: 'netuid', type: 'u16' }, { name: 'serving_rate_limit', type: 'u64' }], item: S.ServingRateLimit, event: 'ServingRateLimitSet' },
  { index: 6, name: 'sudo_set_weights_version_key', args: [{ name: 'netuid', type: 'u16' }, { name: 'weights_version_key', type: 'u64' }], item: S.WeightsVersionKey, event: 'WeightsVersionKeySet' },
  { index: 7, name: 'sudo_set_weights_set_rate_limit', args: [{ name: 'netuid', type: 'u16' }, { name: 'weights_set_rate_limit', type: 'u64' }], item: S.WeightsSetRateLimit, event: 'WeightsSetRateLimitSet' },
  { index: 8, name: 'sudo_set_adjustment_interval', args: [{ name: 'netuid', type: 'u16' }, { name: 'adjustment_interval', type: 'u16' }], item: S.AdjustmentInterval, event: 'AdjustmentIntervalSet' },
  { index: 9, name: 'sudo_set_adjustment_alpha', args: [{ name: 'netuid', type: 'u16' }, { name: 'adjustment_alpha', type: 'u64' }], item: S.AdjustmentAlpha, event: 'AdjustmentAlphaSet' },
  { index: 12, name: 'sudo_set_max_weight_limit', args: [{ name: 'netuid', type: 'u16' }, { name: 'max_weight_limit', type: 'u16' }], item: S.MaxWeightsLimit, event: 'MaxWeightLimitSet' },
  { index: 13, name: 'sudo_set_immunity_period', args: [{ name: 'netuid', type: 'u16' }, { name: 'immunity_period', type: 'u16' }], item: S.ImmunityPeriod, event: 'ImmunityPeriodSet' },
  { index: 14, name: 'sudo_set_min_allowed_weights', args: [{ name: 'netuid', type: 'u16' }, { name: 'min_allowed_weights', type: 'u16' }], item: S.MinAllowedWeights, event: 'MinAllowedWeightSet' },
  { index: 15, name: 'sudo_set_max_allowed_uids', args: [{ name: 'netuid', type: 'u16' }, { name: 'max_allowed_uids', type: 'u16' }], item: S.MaxAllowedUids, event: 'MaxAllowedUidsSet' },
  { index: 16, name: 'sudo_set_kappa', args: [{ name: 'netuid', type: 'u16' }, { name: 'kappa', type: 'u16' }], item: S.Kappa, event: 'KappaSet' },
  { index: 17, name: 'sudo_set_rho', args: [{ name: 'netuid', type: 'u16' }, { name: 'rho', type: 'u16' }], item: S.Rho, event: 'RhoSet' },
  { index: 18, name: 'sudo_set_activity_cutoff', args: [{ name: 'netuid', type: 'u16' }, { name: 'activity_cutoff', type: 'u16' }], item: S.ActivityCutoff, event: 'ActivityCutoffSet' },
  { index: 19, name: 'sudo_set_network_registration_allowed', args: [{ name: 'netuid', type: 'u16' }, { name: 'registration_allowed', type: 'bool' }], item: S.NetworkRegistrationAllowed, event: 'RegistrationAllowed' },
  { index: 21, name: 'sudo_set_target_registrations_per_interval', args: [{ name: 'netuid', type: 'u16' }, { name: 'target_registrations_per_interval', type: 'u16' }], item: S.TargetRegistrationsPerInterval, event: 'RegistrationPerIntervalSet' },
  { index: 22, name: 'sudo_set_min_burn', args: [{ name: 'netuid', type: 'u16' }, { name: 'min_burn', type: 'u64' }], item: S.MinBurn, event: 'MinBurnSet' },
  { index: 23, name: 'sudo_set_max_burn', args: [{ name: 'netuid', type: 'u16' }, { name: 'max_burn', type: 'u64' }], item: S.MaxBurn, event: 'MaxBurnSet' },
  { index: 25, name: 'sudo_set_max_allowed_validators', args: [{ name: 'netuid', type: 'u16' }, { name: 'max_allowed_validators', type: 'u16' }], item: S.MaxAllowedValidators, event: 'MaxAllowedValidatorsSet' },
  { index: 26, name: 'sudo_set_bonds_moving_average', args: [{ name: 'netuid', type: 'u16' }, { name: 'bonds_moving_average', type: 'u64' }], item: S.BondsMovingAverage, event: 'BondsMovingAverageSet' },
  { index: 27, name: 'sudo_set_max_registrations_per_block', args: [{ name: 'netuid', type: 'u16' }, { name: 'max_registrations_per_block', type: 'u16' }], item: S.MaxRegistrationsPerBlock, event: 'MaxRegistrationsPerBlockSet' },
  { index: 28, name: 'sudo_set_subnet_owner_cut', args: [{ name: 'subnet_owner_cut', type: 'u16' }], item: S.SubnetOwnerCut, event: 'SubnetOwnerCutSet' },
  { index: 29, name: 'sudo_set_network_rate_limit', args: [{ name: 'rate_limit', type: 'u64' }], item: S.NetworkRateLimit, event: 'NetworkRateLimitSet' },
  { index: 30, name: 'sudo_set_tempo', args: [{ name: 'netuid', type: 'u16' }, { name: 'tempo', type: 'u16' }], item: S.Tempo, event: 'TempoSet' },
  { index: 36, name: 'sudo_set_network_min_lock_cost', args: [{ name: 'lock_cost', type: 'u64' }], item: S.NetworkMinLockCost, event: 'NetworkMinLockCostSet' },
  { index: 37, name: 'sudo_set_subnet_limit', args: [{ name: 'max_subnets', type: 'u16' }], item: S.SubnetLimit, event: 'SubnetLimitSet' },
  { index: 38, name: 'sudo_set_lock_reduction_interval', args: [{ name: 'interval', type: 'u64' }], item: S.NetworkLockReductionInterval, event: 'NetworkLockCostReductionIntervalSet' },
  { index: 42, name: 'sudo_set_stake_threshold', args: [{ name: 'min_stake', type: 'u64' }], item: S.StakeThreshold, event: 'StakeThresholdSet' },
  { index: 49, name: 'sudo_set_commit_reveal_weights_enabled', args: [{ name: 'netuid', type: 'u16' }, { name: 'enabled', type: 'bool' }], item: S.CommitRevealWeightsEnabled, event: undefined },
  { index: 60, name: 'sudo_set_bonds_penalty', args: [{ name: 'netuid', type: 'u16' }, { name: 'bonds_penalty', type: 'u16' }], item: S.BondsPenalty, event: 'BondsPenaltySet' },
];

function setterCall(s: Setter): CallDecl {
  const perSubnet = s.args[0]?.name === 'netuid';
  return {
    index: s.index,
    name: s.name,
    args: s.args,
    weight: weight(10_000_000),
    paysFee: false,
    dispatch(ctx, args) {
      ctx.ensureRoot();
      const values = s.args.map((a) => args[a.name] as Codec);
      const value = values[values.length - 1] as Codec;
      if (perSubnet) {
        const netuid = Number((values[0] as Codec).toString());
        if (!subnetExists(ctx.storage, netuid)) throw ctx.error('SubnetDoesNotExist');
        if (s.name === 'sudo_set_max_allowed_uids' && Number(value.toString()) < subnetN(ctx.storage, netuid)) {
          throw ctx.error('MaxAllowedUIdsLessThanCurrentUIds');
        }
        if (s.name === 'sudo_set_max_allowed_validators' && Number(value.toString()) > Number(ctx.storage.get(S.MaxAllowedUids, [netuid]).toString())) {
          throw ctx.error('MaxValidatorsLargerThanMaxUIds');
        }
        ctx.storage.set(s.item, [netuid], value);
      } else {
        ctx.storage.set(s.item, [], value);
      }
      if (s.event !== undefined) ctx.emitFrom('SubtensorModule', s.event, values);
    },
  };
}

export const adminUtilsPallet = definePallet({
  index: 19,
  name: 'AdminUtils',
  calls: setters.map(setterCall),
  errors: [
    { index: 0, name: 'SubnetDoesNotExist' },
    { index: 1, name: 'MaxValidatorsLargerThanMaxUIds' },
    { index: 2, name: 'MaxAllowedUIdsLessThanCurrentUIds' },
  ],
});
