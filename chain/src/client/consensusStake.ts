/**
 * Stake as consensus counts it at spec 424: per uid S = α + w·τ, where α and τ include what parents
 * lend through childkeys (`ChildKeys` / `ParentKeys`) and w = TaoWeight / u64::MAX. This is
 * `SubnetInfoRuntimeApi.get_subnet_state(netuid).total_stake`, which the SDK shows as `metagraph.S`
 * and which the chain's epoch normalises into `StakeWeight`; the aggregator election reads it.
 */
import type { Codec } from '@polkadot/types/types';
import { CrucibleError } from '@crucible/core';
import { apiAt, storageEntry, toBigInt, vecOf, type QueryApi } from './chainApi.js';
import type { ChainClient } from './connect.js';

export interface UidStake {
  /** Inherited alpha on the subnet (rao). */
  alpha: bigint[];
  /** Inherited root TAO (rao). */
  tao: bigint[];
  /** Consensus stake S (rao, floored). */
  total: bigint[];
}

type Call = (...args: unknown[]) => Promise<Codec>;

/** `get_subnet_state` at `api`'s block; undefined when the subnet does not exist. */
async function subnetState(api: QueryApi, netuid: number): Promise<UidStake | undefined> {
  const fn = (api.call as unknown as Record<string, Record<string, Call> | undefined>)['subnetInfoRuntimeApi']?.['getSubnetState'];
  if (fn === undefined) {
    throw new CrucibleError('CHAIN_RPC', 'the chain does not serve SubnetInfoRuntimeApi.get_subnet_state; is it a subtensor node of spec 424 or later?');
  }
  const result = (await fn(netuid)) as unknown as { isNone: boolean; unwrap(): Record<'alphaStake' | 'taoStake' | 'totalStake', Codec> };
  if (result.isNone) return undefined;
  const state = result.unwrap();
  const list = (c: Codec) => vecOf(c).map(toBigInt);
  return { alpha: list(state.alphaStake), tao: list(state.taoStake), total: list(state.totalStake) };
}

/** Each uid's consensus stake at `atBlock` (default: best block). */
export async function consensusStake(client: ChainClient, netuid: number, options: { atBlock?: number } = {}): Promise<UidStake> {
  const api = await apiAt(client.api, options.atBlock);
  const state = await subnetState(api, netuid);
  if (state === undefined) throw new CrucibleError('CHAIN_RPC', `subnet ${netuid} does not exist`, { details: { netuid } });
  return state;
}

/** `StakeWeight`: the epoch's normalised consensus stake per uid (u16 fractions of 65535), as last written. */
export async function stakeWeight(client: ChainClient, netuid: number, options: { atBlock?: number } = {}): Promise<number[]> {
  const api = await apiAt(client.api, options.atBlock);
  return vecOf(await storageEntry(api, 'subtensorModule', 'stakeWeight')(netuid)).map((c) => Number(c.toString()) / 65535);
}

export { subnetState };
