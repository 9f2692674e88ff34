import type { Keypair } from '@crucible/core';
import { callOf } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

/** Per-subnet hyperparameters settable with `AdminUtils.sudo_set_*(netuid, value)`. */
export interface SubnetHyperparameterUpdate {
  tempo?: number;
  maxAllowedUids?: number;
  maxAllowedValidators?: number;
  immunityPeriod?: number;
  minBurn?: bigint;
  maxBurn?: bigint;
  weightsSetRateLimit?: bigint;
  minAllowedWeights?: number;
  maxWeightLimit?: number;
  kappa?: number;
  activityCutoff?: number;
  weightsVersionKey?: bigint;
  bondsMovingAverage?: bigint;
  bondsPenalty?: number;
  servingRateLimit?: bigint;
  targetRegistrationsPerInterval?: number;
  maxRegistrationsPerBlock?: number;
  networkRegistrationAllowed?: boolean;
  commitRevealWeightsEnabled?: boolean;
}

/** The AdminUtils call behind each field (metadata names, camelCase as @polkadot/api exposes them). */
export const hyperparameterCalls: Record<keyof SubnetHyperparameterUpdate, string> = {
  tempo: 'sudoSetTempo',
  maxAllowedUids: 'sudoSetMaxAllowedUids',
  maxAllowedValidators: 'sudoSetMaxAllowedValidators',
  immunityPeriod: 'sudoSetImmunityPeriod',
  minBurn: 'sudoSetMinBurn',
  maxBurn: 'sudoSetMaxBurn',
  weightsSetRateLimit: 'sudoSetWeightsSetRateLimit',
  minAllowedWeights: 'sudoSetMinAllowedWeights',
  maxWeightLimit: 'sudoSetMaxWeightLimit',
  kappa: 'sudoSetKappa',
  activityCutoff: 'sudoSetActivityCutoff',
  weightsVersionKey: 'sudoSetWeightsVersionKey',
  bondsMovingAverage: 'sudoSetBondsMovingAverage',
  bondsPenalty: 'sudoSetBondsPenalty',
  servingRateLimit: 'sudoSetServingRateLimit',
  targetRegistrationsPerInterval: 'sudoSetTargetRegistrationsPerInterval',
  maxRegistrationsPerBlock: 'sudoSetMaxRegistrationsPerBlock',
  networkRegistrationAllowed: 'sudoSetNetworkRegistrationAllowed',
  commitRevealWeightsEnabled: 'sudoSetCommitRevealWeightsEnabled',
};

/**
 * Sets subnet hyperparameters the way the real chain does: one `Sudo.sudo(AdminUtils.sudo_set_*(netuid,
 * value))` per field, in the order given, signed by the sudo key. A failing inner call surfaces as
 * CHAIN_DISPATCH with its AdminUtils/SubtensorModule error (taken from the Sudid event).
 */
export async function sudoSetHyperparameters(
  client: ChainClient,
  sudoKey: Keypair,
  netuid: number,
  update: SubnetHyperparameterUpdate,
): Promise<TxReceipt[]> {
  const receipts: TxReceipt[] = [];
  for (const [field, value] of Object.entries(update) as Array<[keyof SubnetHyperparameterUpdate, unknown]>) {
    if (value === undefined) continue;
    receipts.push(await sudoCall(client, sudoKey, 'adminUtils', hyperparameterCalls[field], [netuid, value]));
  }
  return receipts;
}

/** `Sudo.sudo(<pallet>.<call>(...args))` for any call in the metadata. */
export async function sudoCall(client: ChainClient, sudoKey: Keypair, pallet: string, call: string, args: unknown[]): Promise<TxReceipt> {
  const inner = callOf(client.api, pallet, call)(...args);
  return submitExtrinsic(client, sudoKey, callOf(client.api, 'sudo', 'sudo')(inner));
}
