import type { Codec } from '@polkadot/types/types';
import { toAddress } from '@crucible/core';
import { apiAt, hasStorageEntry, storageEntry, toBigInt, toNumber, unwrapOption, vecOf } from './chainApi.js';
import { commitmentBytes } from './commitments.js';
import type { ChainClient } from './connect.js';
import { subnetState } from './consensusStake.js';
import { readHyperparameters, type SubnetHyperparameters } from './hyperparameters.js';

const pallet = 'subtensorModule';
const U16 = 65535;

/** One subnet's state, read in a handful of batched queries at one block. Arrays are indexed by uid. */
export interface Metagraph {
  netuid: number;
  /** The block the snapshot was read at. */
  block: number;
  n: number;
  uids: number[];
  hotkeys: string[];
  coldkeys: string[];
  /** `TotalHotkeyAlpha(hotkey, netuid)`: the hotkey's own alpha, in rao. */
  alphaStake: bigint[];
  /** `TotalHotkeyAlpha(hotkey, 0)`: root (TAO) stake in rao. */
  rootStake: bigint[];
  /**
   * Consensus stake in rao: α + TaoWeight/u64::MAX · τ with childkey inheritance, as the chain's epoch
   * and the SDK's `metagraph.S` count it (`get_subnet_state.total_stake`).
   */
  stake: bigint[];
  validatorPermit: boolean[];
  active: boolean[];
  /** Fractions in [0, 1], read from the stored u16 (value / 65535). */
  incentive: number[];
  dividends: number[];
  consensus: number[];
  validatorTrust: number[];
  /** `Emission`: alpha rao earned in the last epoch. */
  emission: bigint[];
  /** `LastUpdate`: the block of each uid's last set_weights or commit. */
  lastUpdate: number[];
  blockAtRegistration: number[];
  /** `Weights` rows as stored: [uid, u16] pairs, max-upscaled to 65535. */
  weights: Array<Array<[number, number]>>;
  /** Raw bytes of each uid's commitment (`Raw` or `BigRaw` field; null when none); decode with `decodeBucketPointer`. */
  commitments: Array<{ block: number; data: Uint8Array } | null>;
  hyperparameters: SubnetHyperparameters;
}

export type { SubnetHyperparameters };

/**
 * A metagraph snapshot of `netuid` at `atBlock` (default: best block). Storage is read by metadata
 * name with `queryMulti`, `.multi` and `.entries`; consensus stake comes from the runtime API
 * `SubnetInfoRuntimeApi.get_subnet_state`, so the same code runs against the devnet and finney.
 */
export async function getMetagraph(client: ChainClient, netuid: number, options: { atBlock?: number } = {}): Promise<Metagraph> {
  const api = await apiAt(client.api, options.atBlock);
  const block = options.atBlock ?? (await client.api.rpc.chain.getHeader()).number.toNumber();

  const vectorNames = ['validatorPermit', 'active', 'incentive', 'dividends', 'consensus', 'validatorTrust', 'emission', 'lastUpdate'];
  const [nCodec, ...vectors] = await api.queryMulti([
    [storageEntry(api, pallet, 'subnetworkN'), netuid],
    ...vectorNames.map((name) => [storageEntry(api, pallet, name), netuid] as [ReturnType<typeof storageEntry>, number]),
  ]);
  const n = toNumber(nCodec as Codec);
  const byName = new Map(vectorNames.map((name, i) => [name, vecOf(vectors[i] as Codec)]));
  const vector = (name: string) => byName.get(name) ?? [];
  const fractions = (name: string) => padTo(n, vector(name).map((c) => toNumber(c) / U16), 0);

  const uids = Array.from({ length: n }, (_, uid) => uid);
  const hotkeyCodecs = await storageEntry(api, pallet, 'keys').multi(uids.map((uid) => [netuid, uid]));
  const hotkeys = hotkeyCodecs.map((c) => toAddress(c.toU8a()));

  const [owners, alpha, root, registeredAt, weightEntries, commitmentEntries, hyperparameters, state] = await Promise.all([
    storageEntry(api, pallet, 'owner').multi(hotkeys),
    storageEntry(api, pallet, 'totalHotkeyAlpha').multi(hotkeys.map((h) => [h, netuid])),
    storageEntry(api, pallet, 'totalHotkeyAlpha').multi(hotkeys.map((h) => [h, 0])),
    storageEntry(api, pallet, 'blockAtRegistration').multi(uids.map((uid) => [netuid, uid])),
    storageEntry(api, pallet, 'weights').entries(netuid),
    hasStorageEntry(api, 'commitments', 'commitmentOf') ? storageEntry(api, 'commitments', 'commitmentOf').entries(netuid) : Promise.resolve([]),
    readHyperparameters(api, netuid),
    subnetState(api, netuid),
  ]);

  const alphaStake = alpha.map(toBigInt);
  const rootStake = netuid === 0 ? alphaStake.map(() => 0n) : root.map(toBigInt);

  const weights: Array<Array<[number, number]>> = uids.map(() => []);
  for (const [key, value] of weightEntries) {
    const uid = toNumber(key.args[1] as Codec);
    if (uid >= n) continue;
    weights[uid] = vecOf(value).map((pair) => {
      const [dest, w] = vecOf(pair);
      return [toNumber(dest as Codec), toNumber(w as Codec)] as [number, number];
    });
  }

  const uidOf = new Map(hotkeys.map((h, uid) => [h, uid]));
  const commitments: Metagraph['commitments'] = uids.map(() => null);
  for (const [key, value] of commitmentEntries) {
    const uid = uidOf.get(toAddress((key.args[1] as Codec).toU8a()));
    const registration = unwrapOption(value);
    if (uid === undefined || registration === undefined) continue;
    commitments[uid] = commitmentBytes(registration);
  }

  return {
    netuid,
    block,
    n,
    uids,
    hotkeys,
    coldkeys: owners.map((c) => toAddress(c.toU8a())),
    alphaStake,
    rootStake,
    stake: padTo(n, state?.total ?? [], 0n),
    validatorPermit: padTo(n, vector('validatorPermit').map((c) => c.toJSON() === true), false),
    active: padTo(n, vector('active').map((c) => c.toJSON() === true), false),
    incentive: fractions('incentive'),
    dividends: fractions('dividends'),
    consensus: fractions('consensus'),
    validatorTrust: fractions('validatorTrust'),
    emission: padTo(n, vector('emission').map(toBigInt), 0n),
    lastUpdate: padTo(n, vector('lastUpdate').map(toNumber), 0),
    blockAtRegistration: registeredAt.map(toNumber),
    weights,
    commitments,
    hyperparameters,
  };
}

function padTo<T>(n: number, values: T[], fill: T): T[] {
  const out = values.slice(0, n);
  while (out.length < n) out.push(fill);
  return out;
}
