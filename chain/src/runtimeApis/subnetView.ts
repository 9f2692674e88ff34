/**
 * A subnet as the runtime APIs report it: per-uid keys, vectors and consensus stake, read once from
 * storage. The field meanings follow `rpc_info/*.rs` at spec 424.
 */
import type { Codec } from '@polkadot/types/types';
import type { StorageAccess } from '../runtime/storageAccess.js';

import { hotkeyOf, ownerOf, subnetExists, subnetN } from '../pallets/subtensor/neurons.js';
import { num } from '../pallets/subtensor/read.js';
import { subnetConsensusStake, type ConsensusStake } from '../pallets/subtensor/stakeWeight.js';
import * as S from '../pallets/subtensor/subtensorStorage.js';
import { readBigints, readBools, readNumbers } from '../pallets/subtensor/vectors.js';

export interface SubnetView {
  readonly netuid: number;
  readonly n: number;
  readonly hotkeys: Uint8Array[];
  readonly coldkeys: Uint8Array[];
  readonly active: boolean[];
  readonly validatorPermit: boolean[];
  readonly lastUpdate: bigint[];
  readonly emission: bigint[];
  readonly dividends: number[];
  readonly incentive: number[];
  readonly consensus: number[];
  readonly validatorTrust: number[];
  readonly blockAtRegistration: bigint[];
  readonly stake: ConsensusStake[];
}

const ZERO = new Uint8Array(32);

/**
 * The per-uid columns SubnetState and Metagraph share, in their field order (`active` to `totalStake`;
 * pruning score, trust and rank are served empty, as the chain does).
 */
export function neuronColumns(view: SubnetView) {
  return {
    active: view.active,
    validatorPermit: view.validatorPermit,
    pruningScore: [],
    lastUpdate: view.lastUpdate,
    emission: view.emission,
    dividends: view.dividends,
    incentives: view.incentive,
    consensus: view.consensus,
    trust: [],
    rank: [],
    blockAtRegistration: view.blockAtRegistration,
    alphaStake: view.stake.map((x) => x.alpha),
    taoStake: view.stake.map((x) => x.tao),
    totalStake: view.stake.map((x) => x.totalRao),
  };
}

function padded<T>(values: T[], n: number, fill: T): T[] {
  const out = values.slice(0, n);
  while (out.length < n) out.push(fill);
  return out;
}

export function readSubnet(s: StorageAccess, netuid: number): SubnetView | undefined {
  if (!subnetExists(s, netuid)) return undefined;
  const n = subnetN(s, netuid);
  const hotkeys = Array.from({ length: n }, (_, uid) => hotkeyOf(s, netuid, uid));
  return {
    netuid,
    n,
    hotkeys,
    coldkeys: hotkeys.map((h) => ownerOf(s, h) ?? ZERO),
    active: padded(readBools(s, S.Active, netuid), n, false),
    validatorPermit: padded(readBools(s, S.ValidatorPermit, netuid), n, false),
    lastUpdate: padded(readBigints(s, S.LastUpdate, netuid), n, 0n),
    emission: padded(readBigints(s, S.Emission, netuid), n, 0n),
    dividends: padded(readNumbers(s, S.Dividends, netuid), n, 0),
    incentive: padded(readNumbers(s, S.Incentive, netuid), n, 0),
    consensus: padded(readNumbers(s, S.Consensus, netuid), n, 0),
    validatorTrust: padded(readNumbers(s, S.ValidatorTrust, netuid), n, 0),
    blockAtRegistration: Array.from({ length: n }, (_, uid) => BigInt(num(s, S.BlockAtRegistration, [netuid, uid]))),
    stake: subnetConsensusStake(s, netuid),
  };
}

/** `get_axon_info`: the stored axon, or all zeros. */
export function axonOf(s: StorageAccess, netuid: number, hotkey: Uint8Array): unknown {
  return s.tryGet(S.Axons, [netuid, hotkey]) ?? { block: 0, version: 0, ip: 0, port: 0, ipType: 0, protocol: 0, placeholder1: 0, placeholder2: 0 };
}

export function prometheusOf(s: StorageAccess, netuid: number, hotkey: Uint8Array): unknown {
  return s.tryGet(S.Prometheus, [netuid, hotkey]) ?? { block: 0, version: 0, ip: 0, port: 0, ipType: 0 };
}

/** Netuids of every added subnet, ascending (`get_all_subnet_netuids`). */
export function allNetuids(s: StorageAccess): number[] {
  return s
    .entries(S.NetworksAdded)
    .filter(({ value }) => value.toJSON() === true)
    .map(({ keys }) => Number((keys[0] as Codec).toString()))
    .sort((a, b) => a - b);
}

/** `get_name_for_subnet`: the identity's name, else the devnet's "subnet N" (finney keeps a table of names). */
export function subnetName(s: StorageAccess, netuid: number): Uint8Array {
  const identity = s.tryGet(S.SubnetIdentitiesV3, [netuid]) as unknown as { subnetName: Codec } | undefined;
  const name = identity?.subnetName.toU8a(true);
  return name !== undefined && name.length > 0 ? name : new TextEncoder().encode(`subnet ${netuid}`);
}

