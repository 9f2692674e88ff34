import type { Codec } from '@polkadot/types/types';
import { CrucibleError, type Keypair } from '@crucible/core';
import { weightsToU16 } from '../yuma/quantize.js';
import { callOf, storageEntry, toBigInt, toNumber, unwrapOption, vecOf } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

/**
 * `set_weights` arguments from scores: uids ascending and unique, values max-upscaled so the largest is
 * 65535 (what subtensor stores anyway). Scores must be finite and non-negative; at least one positive.
 */
export function prepareWeights(scores: ReadonlyMap<number, number>): { dests: number[]; weights: number[] } {
  const entries = [...scores.entries()].sort(([a], [b]) => a - b);
  for (const [uid] of entries) {
    if (!Number.isInteger(uid) || uid < 0 || uid > 65535) throw new CrucibleError('USAGE', `not a uid: ${uid}`, { details: { uid } });
  }
  let values: number[];
  try {
    values = weightsToU16(entries.map(([, score]) => score));
  } catch (cause) {
    throw new CrucibleError('USAGE', 'weights must be finite and non-negative', { cause });
  }
  if (!values.some((v) => v > 0)) throw new CrucibleError('USAGE', 'at least one weight must be positive');
  return { dests: entries.map(([uid]) => uid), weights: values };
}

export type SetWeightsResult =
  | { status: 'SET'; receipt: TxReceipt; dests: number[]; weights: number[] }
  /** The subnet's WeightsSetRateLimit has not passed since this uid's last update; nothing was sent. */
  | { status: 'RATE_LIMITED'; lastUpdate: number; nextBlock: number };

/**
 * `SubtensorModule.set_weights(netuid, dests, weights, version_key)`, signed by the hotkey. Reads the
 * hotkey's `LastUpdate` and the subnet's `WeightsSetRateLimit` first and returns RATE_LIMITED instead of
 * sending a call that would fail with SettingWeightsTooFast. `versionKey` defaults to the subnet's
 * `WeightsVersionKey` (the lowest the chain accepts); other failures are CHAIN_DISPATCH with the pallet
 * error (NeuronNoValidatorPermit, IncorrectWeightVersionKey, WeightVecLengthIsLow, ...).
 */
export async function setWeights(
  client: ChainClient,
  hotkey: Keypair,
  netuid: number,
  scores: ReadonlyMap<number, number>,
  options: { versionKey?: bigint } = {},
): Promise<SetWeightsResult> {
  const { api } = client;
  const { dests, weights } = prepareWeights(scores);
  const q = (item: string) => storageEntry(api, 'subtensorModule', item);
  const [uidOption, lastUpdates, rateLimit, versionKey, header] = await Promise.all([
    q('uids')(netuid, hotkey.address),
    q('lastUpdate')(netuid),
    q('weightsSetRateLimit')(netuid),
    q('weightsVersionKey')(netuid),
    api.rpc.chain.getHeader(),
  ]);
  const uid = unwrapOption(uidOption);
  if (uid !== undefined) {
    const lastUpdate = toNumber(vecOf(lastUpdates)[toNumber(uid)] ?? (api.createType('u64', 0) as Codec));
    const limit = toNumber(rateLimit);
    // The call executes in the next block at the earliest.
    const executesAt = header.number.toNumber() + 1;
    if (lastUpdate !== 0 && executesAt - lastUpdate < limit) {
      return { status: 'RATE_LIMITED', lastUpdate, nextBlock: lastUpdate + limit };
    }
  }
  const key = options.versionKey ?? toBigInt(versionKey);
  const receipt = await submitExtrinsic(client, hotkey, callOf(api, 'subtensorModule', 'setWeights')(netuid, dests, weights, key));
  return { status: 'SET', receipt, dests, weights };
}
