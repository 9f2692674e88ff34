import type { Codec } from '@polkadot/types/types';
import { CrucibleError, toAddress } from '@crucible/core';
import { apiAt, hasStorageEntry, storageEntry, toBigInt, toNumber, unwrapOption, vecOf, type QueryApi } from './chainApi.js';
import { commitmentBytes } from './commitments.js';
import type { ChainClient } from './connect.js';

const pallet = 'subtensorModule';
/** `2^64`: TaoWeight is a u64 fraction of one. */
const TAO_WEIGHT_ONE = 1n << 64n;

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

/** Stake weight as consensus counts it: alpha + TaoWeight · root stake (fraction dropped), by hotkey. */
export async function readStakeWeights(api: QueryApi, netuid: number, hotkeys: readonly string[]): Promise<{ alpha: bigint[]; root: bigint[]; stake: bigint[] }> {
  const [taoWeightCodec, alphaCodecs, rootCodecs] = await Promise.all([
    storageEntry(api, pallet, 'taoWeight')(),
    storageEntry(api, pallet, 'totalHotkeyAlpha').multi(hotkeys.map((h) => [h, netuid])),
    storageEntry(api, pallet, 'totalHotkeyAlpha').multi(hotkeys.map((h) => [h, 0])),
  ]);
  const taoWeight = toBigInt(taoWeightCodec as Codec);
  const alpha = alphaCodecs.map(toBigInt);
  const root = netuid === 0 ? alpha.map(() => 0n) : rootCodecs.map(toBigInt);
  return { alpha, root, stake: alpha.map((a, i) => a + ((root[i] ?? 0n) * taoWeight) / TAO_WEIGHT_ONE) };
}

async function readPermits(api: QueryApi, netuid: number, n: number): Promise<boolean[]> {
  const permits = vecOf((await storageEntry(api, pallet, 'validatorPermit')(netuid)) as Codec).map((c) => c.toJSON() === true);
  return Array.from({ length: n }, (_, uid) => permits[uid] ?? false);
}

/** What the aggregator election reads: hotkeys, stake weights and validator permits by uid. */
export async function readElectionState(client: ChainClient, netuid: number, atBlock?: number): Promise<{ hotkeys: string[]; stake: bigint[]; validatorPermit: boolean[] }> {
  const api = await apiAt(client.api, atBlock);
  const hotkeys = await readHotkeys(api, netuid);
  const [{ stake }, validatorPermit] = await Promise.all([readStakeWeights(api, netuid, hotkeys), readPermits(api, netuid, hotkeys.length)]);
  return { hotkeys, stake, validatorPermit };
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

export async function subnetOwnerHotkey(client: ChainClient, netuid: number): Promise<string | undefined> {
  const raw = await storageEntry(client.api, pallet, 'subnetOwnerHotkey')(netuid);
  const bytes = (raw as unknown as { toU8a(): Uint8Array }).toU8a();
  return bytes.every((b) => b === 0) ? undefined : toAddress(bytes);
}

/** `Timestamp.Now` at a block (ms since epoch): the chain's clock. */
export async function timestampAt(client: ChainClient, block: number): Promise<number> {
  const api = await apiAt(client.api, block);
  const now = await storageEntry(api, 'timestamp', 'now')();
  const ms = Number((now as Codec).toString());
  if (!Number.isFinite(ms)) throw new CrucibleError('CHAIN_RPC', `no timestamp at block ${block}`, { details: { block } });
  return ms;
}
