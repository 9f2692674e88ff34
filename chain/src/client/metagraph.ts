import type { Codec } from '@polkadot/types/types';
import { CrucibleError, toAddress } from '@crucible/core';
import { apiAt, hasStorageEntry, storageEntry, toBigInt, toNumber, unwrapOption, vecOf, type QueryApi } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { commitmentBytes } from './commitments.js';
import { readStakeWeights } from './subnetReads.js';

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
  /** `TotalHotkeyAlpha(hotkey, netuid)` in alpha rao. */
  alphaStake: bigint[];
  /** `TotalHotkeyAlpha(hotkey, 0)`: root (TAO) stake in rao; 0 where there is no root subnet. */
  rootStake: bigint[];
  /** Consensus stake weight `alpha + TaoWeight · root`, in rao (fractional part dropped). */
  stake: bigint[];
  validatorPermit: boolean[];
  active: boolean[];
  /** Fractions in [0, 1], read from the stored u16 (value / 65535). */
  incentive: number[];
  dividends: number[];
  consensus: number[];
  trust: number[];
  rank: number[];
  validatorTrust: number[];
  /** `Emission`: alpha rao earned in the last epoch. */
  emission: bigint[];
  lastUpdate: number[];
  blockAtRegistration: number[];
  /** `Weights` rows as stored: [uid, u16] pairs, max-upscaled to 65535. */
  weights: Array<Array<[number, number]>>;
  /** `CommitmentOf` raw bytes by uid (null when none); @crucible/storage decodes bucket pointers. */
  commitments: Array<{ block: number; data: Uint8Array } | null>;
  hyperparameters: SubnetHyperparameters;
}

export interface SubnetHyperparameters {
  tempo: number;
  maxAllowedUids: number;
  maxAllowedValidators: number;
  immunityPeriod: number;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  weightsVersionKey: bigint;
  weightsSetRateLimit: number;
  /** Absent on runtimes without the item (later subtensor derives the cutoff from tempo). */
  activityCutoff?: number;
  kappa?: number;
  burn: bigint;
  commitRevealWeightsEnabled: boolean;
}

const hyperparameterItems = {
  tempo: 'tempo',
  maxAllowedUids: 'maxAllowedUids',
  maxAllowedValidators: 'maxAllowedValidators',
  immunityPeriod: 'immunityPeriod',
  minAllowedWeights: 'minAllowedWeights',
  maxWeightsLimit: 'maxWeightsLimit',
  weightsVersionKey: 'weightsVersionKey',
  weightsSetRateLimit: 'weightsSetRateLimit',
  activityCutoff: 'activityCutoff',
  kappa: 'kappa',
  burn: 'burn',
  commitRevealWeightsEnabled: 'commitRevealWeightsEnabled',
} as const satisfies Record<keyof SubnetHyperparameters, string>;

const optionalHyperparameters = new Set<keyof SubnetHyperparameters>(['activityCutoff', 'kappa']);

function decodeHyperparameters(values: Partial<Record<keyof SubnetHyperparameters, Codec>>): SubnetHyperparameters {
  const need = (name: keyof SubnetHyperparameters): Codec => {
    const value = values[name];
    if (value === undefined) throw new CrucibleError('CHAIN_RPC', `the chain did not return hyperparameter ${name}`, { details: { name } });
    return value;
  };
  const out: SubnetHyperparameters = {
    tempo: toNumber(need('tempo')),
    maxAllowedUids: toNumber(need('maxAllowedUids')),
    maxAllowedValidators: toNumber(need('maxAllowedValidators')),
    immunityPeriod: toNumber(need('immunityPeriod')),
    minAllowedWeights: toNumber(need('minAllowedWeights')),
    maxWeightsLimit: toNumber(need('maxWeightsLimit')),
    weightsVersionKey: toBigInt(need('weightsVersionKey')),
    weightsSetRateLimit: toNumber(need('weightsSetRateLimit')),
    burn: toBigInt(need('burn')),
    commitRevealWeightsEnabled: need('commitRevealWeightsEnabled').toJSON() === true,
  };
  if (values.activityCutoff !== undefined) out.activityCutoff = toNumber(values.activityCutoff);
  if (values.kappa !== undefined) out.kappa = toNumber(values.kappa);
  return out;
}

export async function getHyperparameters(client: ChainClient, netuid: number, atBlock?: number): Promise<SubnetHyperparameters> {
  const api = await apiAt(client.api, atBlock);
  return readHyperparameters(api, netuid);
}

async function readHyperparameters(api: QueryApi, netuid: number): Promise<SubnetHyperparameters> {
  const names = (Object.keys(hyperparameterItems) as Array<keyof SubnetHyperparameters>).filter(
    (name) => !optionalHyperparameters.has(name) || hasStorageEntry(api, pallet, hyperparameterItems[name]),
  );
  const values = await api.queryMulti(names.map((name) => [storageEntry(api, pallet, hyperparameterItems[name]), netuid]));
  return decodeHyperparameters(Object.fromEntries(names.map((name, i) => [name, values[i] as Codec])));
}

/**
 * A metagraph snapshot of `netuid` at `atBlock` (default: best block). Reads only storage listed in the
 * subtensor reference, with `queryMulti`, `.multi` and `.entries`, so it runs against any subtensor node.
 */
export async function getMetagraph(client: ChainClient, netuid: number, options: { atBlock?: number } = {}): Promise<Metagraph> {
  const api = await apiAt(client.api, options.atBlock);
  const block =
    options.atBlock ?? (await client.api.rpc.chain.getHeader()).number.toNumber();

  const vectorNames = ['validatorPermit', 'active', 'incentive', 'dividends', 'consensus', 'validatorTrust', 'emission', 'lastUpdate'];
  // Rank and Trust exist at spec 233 and are gone at HEAD; read them only where the metadata has them.
  const optionalNames = ['rank', 'trust'].filter((name) => hasStorageEntry(api, pallet, name));
  const [nCodec, ...vectors] = await api.queryMulti([
    [storageEntry(api, pallet, 'subnetworkN'), netuid],
    ...[...vectorNames, ...optionalNames].map((name) => [storageEntry(api, pallet, name), netuid] as [ReturnType<typeof storageEntry>, number]),
  ]);
  const n = toNumber(nCodec as Codec);
  const byName = new Map<string, Codec[]>();
  [...vectorNames, ...optionalNames].forEach((name, i) => byName.set(name, vecOf(vectors[i] as Codec)));
  const vector = (name: string) => byName.get(name) ?? [];
  const fractions = (name: string) => padTo(n, vector(name).map((c) => toNumber(c) / U16), 0);

  const uids = Array.from({ length: n }, (_, uid) => uid);
  const hotkeyCodecs = await storageEntry(api, pallet, 'keys').multi(uids.map((uid) => [netuid, uid]));
  const hotkeys = hotkeyCodecs.map((c) => toAddress(c.toU8a()));

  const [owners, { alpha: alphaStake, root: rootStake, stake }, registeredAt, weightEntries, commitmentEntries, hyperparameters] = await Promise.all([
    storageEntry(api, pallet, 'owner').multi(hotkeys),
    readStakeWeights(api, netuid, hotkeys),
    storageEntry(api, pallet, 'blockAtRegistration').multi(uids.map((uid) => [netuid, uid])),
    storageEntry(api, pallet, 'weights').entries(netuid),
    hasStorageEntry(api, 'commitments', 'commitmentOf') ? storageEntry(api, 'commitments', 'commitmentOf').entries(netuid) : Promise.resolve([]),
    readHyperparameters(api, netuid),
  ]);

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
    stake,
    validatorPermit: padTo(n, vector('validatorPermit').map((c) => c.toJSON() === true), false),
    active: padTo(n, vector('active').map((c) => c.toJSON() === true), false),
    incentive: fractions('incentive'),
    dividends: fractions('dividends'),
    consensus: fractions('consensus'),
    trust: fractions('trust'),
    rank: fractions('rank'),
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
