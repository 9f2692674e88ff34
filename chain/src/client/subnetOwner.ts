/**
 * What a subnet owner does on Bittensor today, signed by the owner's coldkey directly (never through
 * Sudo): start the subnet (`start_call`, required before anyone can stake and before alpha is emitted)
 * and set the owner-settable hyperparameters, outside the admin freeze window and within the owner's
 * rate limits. Root-only parameters are refused here with a USAGE error naming them.
 */
import { CrucibleError, type Keypair } from '@crucible/core';
import { callOf, storageEntry, toNumber } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { OWNER_CALLS, OWNER_TEMPO_RANGE, rootOnlyFields, type HyperparameterField, type SubnetHyperparameterUpdate } from './hyperparameterCalls.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

/** `SubtensorModule.start_call(netuid)` by the owner: emission starts next block and staking opens. */
export async function startSubnet(client: ChainClient, owner: Keypair, netuid: number): Promise<TxReceipt & { firstEmissionBlock: number }> {
  const receipt = await submitExtrinsic(client, owner, callOf(client.api, 'subtensorModule', 'startCall')(netuid));
  const event = receipt.events.find((e) => e.name === 'subtensorModule.FirstEmissionBlockNumberSet');
  return { ...receipt, firstEmissionBlock: Number(event?.data[1] ?? receipt.blockNumber + 1) };
}

export interface AdminWindow {
  open: boolean;
  /** The first block at which setters are accepted again (this block when open). */
  opensAt: number;
}

/**
 * The admin freeze window at the next block: setters are refused in the last `AdminFreezeWindow` blocks
 * before the subnet's epoch and while a triggered epoch is pending (owner and root alike).
 */
export async function adminWindow(client: ChainClient, netuid: number): Promise<AdminWindow> {
  const { api } = client;
  const q = (item: string) => storageEntry(api, 'subtensorModule', item);
  const [tempoC, lastC, pendingC, windowC, header] = await Promise.all([
    q('tempo')(netuid),
    q('lastEpochBlock')(netuid),
    q('pendingEpochAt')(netuid),
    q('adminFreezeWindow')(),
    api.rpc.chain.getHeader(),
  ]);
  const block = header.number.toNumber() + 1;
  const tempo = toNumber(tempoC);
  const next = toNumber(lastC) + tempo;
  const pending = toNumber(pendingC);
  const window = toNumber(windowC);
  if (tempo === 0) return { open: true, opensAt: block };
  if (pending > block) return { open: false, opensAt: pending + 1 };
  if (next - block < window) return { open: false, opensAt: next + 1 };
  return { open: true, opensAt: block };
}

/** Waits (up to `timeoutMs`) until the admin window is open. */
export async function waitForAdminWindow(client: ChainClient, netuid: number, timeoutMs = 300_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const w = await adminWindow(client, netuid);
    if (w.open) return;
    if (Date.now() - start > timeoutMs) throw new CrucibleError('TIMEOUT', `the admin freeze window of subnet ${netuid} did not open in time`, { details: { netuid, opensAt: w.opensAt } });
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export interface SetHyperparametersOptions {
  /** Wait for the freeze window to open before each setter (default true). */
  waitForAdminWindow?: boolean;
}

/**
 * Sets owner-settable hyperparameters, one extrinsic per field signed by the owner coldkey. Root-only
 * fields fail at once with USAGE ("… root-only …"), before anything is sent; tempo outside
 * [360, 50400] likewise. The chain still applies its rate limits (SubtensorModule.TxRateLimitExceeded:
 * one change per hyperparameter every 2 tempos).
 */
export async function setSubnetHyperparameters(
  client: ChainClient,
  owner: Keypair,
  netuid: number,
  update: SubnetHyperparameterUpdate,
  options: SetHyperparametersOptions = {},
): Promise<TxReceipt[]> {
  const rootOnly = rootOnlyFields(update);
  if (rootOnly.length > 0) {
    throw new CrucibleError('USAGE', `${rootOnly.join(', ')} ${rootOnly.length === 1 ? 'is' : 'are'} root-only on Bittensor (spec 424): only the sudo key can set ${rootOnly.length === 1 ? 'it' : 'them'}, through Sudo.sudo`, {
      details: { rootOnly },
    });
  }
  if (update.tempo !== undefined && (update.tempo < OWNER_TEMPO_RANGE[0] || update.tempo > OWNER_TEMPO_RANGE[1])) {
    throw new CrucibleError('USAGE', `an owner may set tempo only within [${OWNER_TEMPO_RANGE[0]}, ${OWNER_TEMPO_RANGE[1]}], got ${update.tempo}`, { details: { tempo: update.tempo } });
  }
  const receipts: TxReceipt[] = [];
  for (const [field, value] of Object.entries(update) as Array<[HyperparameterField, unknown]>) {
    const target = OWNER_CALLS[field];
    if (value === undefined || target === undefined) continue;
    if (options.waitForAdminWindow !== false) await waitForAdminWindow(client, netuid);
    receipts.push(await submitExtrinsic(client, owner, callOf(client.api, target[0], target[1])(netuid, value)));
  }
  return receipts;
}

/** The subnet's owner coldkey and hotkey as the chain has them now (the owner can change its hotkey). */
export async function subnetOwner(client: ChainClient, netuid: number): Promise<{ coldkey: string; hotkey: string }> {
  const q = (item: string) => storageEntry(client.api, 'subtensorModule', item)(netuid);
  const [coldkey, hotkey] = await Promise.all([q('subnetOwner'), q('subnetOwnerHotkey')]);
  return { coldkey: coldkey.toString(), hotkey: hotkey.toString() };
}

