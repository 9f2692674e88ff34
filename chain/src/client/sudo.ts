/**
 * Root's path to subnet settings: `Sudo.sudo(...)` signed by the sudo key. On Bittensor only the chain's
 * governance holds that key; on the devnet it is //Alice. Owner-settable fields are better set by the
 * owner (subnetOwner.ts); this sets any field, root-only ones included.
 */
import { CrucibleError, type Keypair } from '@crucible/core';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { callOf, storageEntry, toNumber } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { OWNER_CALLS, ROOT_CALLS, type HyperparameterField, type SubnetHyperparameterUpdate } from './hyperparameterCalls.js';
import { waitForAdminWindow } from './subnetOwner.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

export type { SubnetHyperparameterUpdate };

/** The call that sets `field` as root (root may use the owner's setters too; tempo uses sudo_set_tempo). */
function rootCall(client: ChainClient, netuid: number, field: HyperparameterField, value: unknown): SubmittableExtrinsic<'promise'> {
  const target = ROOT_CALLS[field] ?? OWNER_CALLS[field];
  if (target === undefined) {
    throw new CrucibleError('USAGE', `no spec-424 call sets ${field}`, { details: { field } });
  }
  return callOf(client.api, target[0], target[1])(netuid, value);
}

/**
 * Sets subnet hyperparameters as root in one extrinsic: `Sudo.sudo(Utility.batch_all([...]))`, tempo
 * last (setting it restarts the epoch cycle). When `maxAllowedUids` goes below the subnet's
 * `MinAllowedUids` (64 by default), `MinAllowedUids` is lowered to 0 first, as the chain requires.
 * Waits for the admin freeze window to open. A failing setter fails the whole batch with its
 * AdminUtils / SubtensorModule error (CHAIN_DISPATCH).
 */
export async function sudoSetHyperparameters(
  client: ChainClient,
  sudoKey: Keypair,
  netuid: number,
  update: SubnetHyperparameterUpdate & { maxWeightLimit?: number },
): Promise<TxReceipt[]> {
  if (update.maxWeightLimit !== undefined) {
    throw new CrucibleError('USAGE', 'sudo_set_max_weight_limit was removed from AdminUtils (MaxWeightsLimit is no longer settable)', { details: { field: 'maxWeightLimit' } });
  }
  const fields = (Object.keys(update) as HyperparameterField[]).filter((f) => update[f] !== undefined && f !== ('maxWeightLimit' as HyperparameterField));
  if (fields.length === 0) return [];
  const ordered = [...fields.filter((f) => f !== 'tempo'), ...fields.filter((f) => f === 'tempo')];
  const calls: Array<SubmittableExtrinsic<'promise'>> = [];
  if (update.maxAllowedUids !== undefined && update.minAllowedUids === undefined) {
    const min = toNumber(await storageEntry(client.api, 'subtensorModule', 'minAllowedUids')(netuid));
    if (update.maxAllowedUids < min) calls.push(rootCall(client, netuid, 'minAllowedUids', 0));
  }
  for (const f of ordered) calls.push(rootCall(client, netuid, f, update[f]));
  await waitForAdminWindow(client, netuid);
  const batch = calls.length === 1 ? (calls[0] as SubmittableExtrinsic<'promise'>) : callOf(client.api, 'utility', 'batchAll')(calls);
  return [await submitExtrinsic(client, sudoKey, callOf(client.api, 'sudo', 'sudo')(batch))];
}

/** `Sudo.sudo(<pallet>.<call>(...args))` for any call in the metadata. */
export async function sudoCall(client: ChainClient, sudoKey: Keypair, pallet: string, call: string, args: unknown[]): Promise<TxReceipt> {
  const inner = callOf(client.api, pallet, call)(...args);
  return submitExtrinsic(client, sudoKey, callOf(client.api, 'sudo', 'sudo')(inner));
}
