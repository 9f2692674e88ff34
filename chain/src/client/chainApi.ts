import type { ApiPromise } from '@polkadot/api';
import type { ApiDecoration, QueryableStorageEntry, SubmittableExtrinsicFunction } from '@polkadot/api/types';
import type { Codec } from '@polkadot/types/types';
import { CrucibleError } from '@crucible/core';

/**
 * Access to storage items and calls by their metadata names, failing with a clear CHAIN_RPC error when
 * the endpoint lacks one (so pointing the client at something that is not subtensor says so at once).
 * Only names listed in the reference interface are used anywhere in this folder.
 */
export type QueryApi = ApiPromise | ApiDecoration<'promise'>;

export function storageEntry(api: QueryApi, pallet: string, item: string): QueryableStorageEntry<'promise'> {
  const entry = api.query[pallet]?.[item];
  if (entry === undefined) {
    throw new CrucibleError('CHAIN_RPC', `the chain has no storage item ${pallet}.${item}; is it a subtensor node?`, {
      details: { pallet, item },
    });
  }
  return entry;
}

export function hasStorageEntry(api: QueryApi, pallet: string, item: string): boolean {
  return api.query[pallet]?.[item] !== undefined;
}

export function callOf(api: ApiPromise, pallet: string, call: string): SubmittableExtrinsicFunction<'promise'> {
  const fn = api.tx[pallet]?.[call];
  if (fn === undefined) {
    throw new CrucibleError('CHAIN_RPC', `the chain has no call ${pallet}.${call}; is it a subtensor node?`, {
      details: { pallet, call },
    });
  }
  return fn;
}

/** Decoded integer of any width as bigint. */
export function toBigInt(value: Codec): bigint {
  return BigInt(value.toString());
}

export function toNumber(value: Codec): number {
  return Number(value.toString());
}

/** A SCALE Vec<…> codec is an Array subclass. */
export function vecOf(value: Codec): Codec[] {
  return Array.isArray(value) ? (value as unknown as Codec[]) : [];
}

/** The value of an `Option<T>` storage read, or undefined for None. */
export function unwrapOption(value: Codec): Codec | undefined {
  const option = value as unknown as { isSome?: boolean; isNone?: boolean; unwrap?: () => Codec };
  if (option.isNone === true) return undefined;
  if (option.isSome === true && option.unwrap !== undefined) return option.unwrap();
  return value;
}

/** Hash of a block number, for `api.at`. */
export async function apiAt(api: ApiPromise, atBlock: number | undefined): Promise<QueryApi> {
  if (atBlock === undefined) return api;
  const hash = await api.rpc.chain.getBlockHash(atBlock);
  if (hash.isEmpty || /^0x0+$/.test(hash.toHex())) {
    throw new CrucibleError('CHAIN_RPC', `the chain has no block ${atBlock}`, { details: { atBlock } });
  }
  return api.at(hash);
}
