import type { Codec } from '@polkadot/types/types';
import { CrucibleError, toAddress } from '@crucible/core';
import { apiAt, hasStorageEntry, storageEntry, toNumber, unwrapOption, vecOf, type QueryApi } from './chainApi.js';
import { commitmentBytes } from './commitments.js';
import { subnetState } from './consensusStake.js';
import type { ChainClient } from './connect.js';

const pallet = 'subtensorModule';

/**
 * Narrow reads of a subnet at one block: only the storage items a rule needs, so they work against a
 * node that keeps recent state only and cost a handful of queries instead of a whole metagraph.
 */

/** Hotkeys by uid. */
export async function readHotkeys(api: QueryApi, netuid: number): Promise<string[]> {
  const n = toNumber((await storageEntry(api, pallet, 'subnetworkN')(netuid)) as Codec);
  const codecs = await storageEntry(api, pallet, 'keys').multi(Array.from({ length: n }, (_, uid) => [netuid, uid]));
  return codecs.map((c) => toAddress(c.toU8a()));
}

async function readPermits(api: QueryApi, netuid: number, n: number): Promise<boolean[]> {
  const permits = vecOf((await storageEntry(api, pallet, 'validatorPermit')(netuid)) as Codec).map((c) => c.toJSON() === true);
  return Array.from({ length: n }, (_, uid) => permits[uid] ?? false);
}

/** What the aggregator election reads: hotkeys, consensus stake (get_subnet_state), validator permits by uid, and the owner's hotkey. */
export async function readElectionState(
  client: ChainClient,
  netuid: number,
  atBlock?: number,
): Promise<{ hotkeys: string[]; stake: bigint[]; validatorPermit: boolean[]; ownerHotkey: string | undefined }> {
  const api = await apiAt(client.api, atBlock);
  const hotkeys = await readHotkeys(api, netuid);
  const [state, validatorPermit, ownerHotkey] = await Promise.all([subnetState(api, netuid), readPermits(api, netuid, hotkeys.length), readOwnerHotkey(api, netuid)]);
  if (!state) throw new CrucibleError('CHAIN_RPC', `subnet ${netuid} does not exist at block ${atBlock ?? 'best'}`, { details: { netuid, atBlock } });
  // Stake as consensus counts it (inherited through childkeys): what the chain itself elects by.
  return { hotkeys, stake: hotkeys.map((_, uid) => state.total[uid] ?? 0n), validatorPermit, ownerHotkey };
}

/** Each uid's hotkey, validator permit and committed bytes (what finding buckets needs). */
export async function readNeuronRows(
  client: ChainClient,
  netuid: number,
  atBlock?: number,
): Promise<Array<{ uid: number; hotkey: string; validatorPermit: boolean; commitment: { block: number; data: Uint8Array } | null }>> {
  const api = await apiAt(client.api, atBlock);
  const hotkeys = await readHotkeys(api, netuid);
  const [validatorPermit, commitments] = await Promise.all([
    readPermits(api, netuid, hotkeys.length),
    hasStorageEntry(api, 'commitments', 'commitmentOf') ? storageEntry(api, 'commitments', 'commitmentOf').multi(hotkeys.map((h) => [netuid, h])) : Promise.resolve([]),
  ]);
  return hotkeys.map((hotkey, uid) => {
    const registration = commitments[uid] ? unwrapOption(commitments[uid]) : undefined;
    return { uid, hotkey, validatorPermit: validatorPermit[uid]!, commitment: registration ? commitmentBytes(registration) : null };
  });
}

/** The subnet owner's hotkey (undefined: unset, stored as the all-zero account). */
async function readOwnerHotkey(api: QueryApi, netuid: number): Promise<string | undefined> {
  const raw = await storageEntry(api, pallet, 'subnetOwnerHotkey')(netuid);
  const bytes = (raw as unknown as { toU8a(): Uint8Array }).toU8a();
  return bytes.every((b) => b === 0) ? undefined : toAddress(bytes);
}

export function subnetOwnerHotkey(client: ChainClient, netuid: number): Promise<string | undefined> {
  return readOwnerHotkey(client.api, netuid);
}

/** `Timestamp.Now` at a block (ms since epoch): the chain's clock. */
export async function timestampAt(client: ChainClient, block: number): Promise<number> {
  const api = await apiAt(client.api, block);
  const now = await storageEntry(api, 'timestamp', 'now')();
  const ms = Number((now as Codec).toString());
  if (!Number.isFinite(ms)) throw new CrucibleError('CHAIN_RPC', `no timestamp at block ${block}`, { details: { block } });
  return ms;
}
