import type { Codec } from '@polkadot/types/types';
import { apiAt, storageEntry, toBigInt, toNumber, type QueryApi } from './chainApi.js';
import type { ChainClient } from './connect.js';

const pallet = 'subtensorModule';

/** A subnet's hyperparameters as spec 424 stores them. */
export interface SubnetHyperparameters {
  tempo: number;
  maxAllowedUids: number;
  maxAllowedValidators: number;
  immunityPeriod: number;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  weightsVersionKey: bigint;
  weightsSetRateLimit: number;
  /** Effective cutoff in blocks: max(1, ActivityCutoffFactorMilli · Tempo / 1000). */
  activityCutoff: number;
  kappa: number;
  burn: bigint;
  commitRevealWeightsEnabled: boolean;
  /** Reveal `RevealPeriodEpochs` epochs after the commit. */
  revealPeriodEpochs: number;
}

const items = [
  'tempo',
  'maxAllowedUids',
  'maxAllowedValidators',
  'immunityPeriod',
  'minAllowedWeights',
  'maxWeightsLimit',
  'weightsVersionKey',
  'weightsSetRateLimit',
  'activityCutoffFactorMilli',
  'kappa',
  'burn',
  'commitRevealWeightsEnabled',
  'revealPeriodEpochs',
] as const;

export async function readHyperparameters(api: QueryApi, netuid: number): Promise<SubnetHyperparameters> {
  const values = await api.queryMulti(items.map((name) => [storageEntry(api, pallet, name), netuid]));
  const v = Object.fromEntries(items.map((name, i) => [name, values[i] as Codec])) as Record<(typeof items)[number], Codec>;
  const tempo = toNumber(v.tempo);
  return {
    tempo,
    maxAllowedUids: toNumber(v.maxAllowedUids),
    maxAllowedValidators: toNumber(v.maxAllowedValidators),
    immunityPeriod: toNumber(v.immunityPeriod),
    minAllowedWeights: toNumber(v.minAllowedWeights),
    maxWeightsLimit: toNumber(v.maxWeightsLimit),
    weightsVersionKey: toBigInt(v.weightsVersionKey),
    weightsSetRateLimit: toNumber(v.weightsSetRateLimit),
    activityCutoff: Math.max(1, Math.floor((toNumber(v.activityCutoffFactorMilli) * tempo) / 1000)),
    kappa: toNumber(v.kappa),
    burn: toBigInt(v.burn),
    commitRevealWeightsEnabled: v.commitRevealWeightsEnabled.toJSON() === true,
    revealPeriodEpochs: toNumber(v.revealPeriodEpochs),
  };
}

export async function getHyperparameters(client: ChainClient, netuid: number, atBlock?: number): Promise<SubnetHyperparameters> {
  return readHyperparameters(await apiAt(client.api, atBlock), netuid);
}

