/** `set_weights` at spec 233 (subtensor `do_set_weights`), checks in the real order with the real errors. */
import type { DispatchContext } from '../../runtime/pallet.js';
import { maxUpscaleToU16, withinMaxWeightLimit } from '../../yuma/quantize.js';
import { subnetExists, subnetN, uidOf } from './neurons.js';
import { hotkeyAlpha } from './staking.js';
import {
  CommitRevealWeightsEnabled,
  LastUpdate,
  MaxWeightsLimit,
  MinAllowedWeights,
  StakeThreshold,
  ValidatorPermit,
  Weights,
  WeightsSetRateLimit,
  WeightsVersionKey,
} from './subtensorStorage.js';
import { readBigints, readBools, setAt } from './vectors.js';

export function setWeights(ctx: DispatchContext, netuid: number, dests: number[], values: number[], versionKey: bigint): void {
  const hotkey = ctx.ensureSigned();
  const s = ctx.storage;
  const num = (item: Parameters<typeof s.get>[0]) => BigInt(s.get(item, [netuid]).toString());
  if (s.get(CommitRevealWeightsEnabled, [netuid]).toJSON() === true) throw ctx.error('CommitRevealEnabled');
  if (netuid === 0) throw ctx.error('CanNotSetRootNetworkWeights');
  if (dests.length !== values.length) throw ctx.error('WeightVecNotEqualSize');
  if (!subnetExists(s, netuid)) throw ctx.error('SubNetworkDoesNotExist');
  const n = subnetN(s, netuid);
  if (dests.length > n) throw ctx.error('UidsLengthExceedUidsInSubNet');
  const uid = uidOf(s, netuid, hotkey);
  if (uid === undefined) throw ctx.error('HotKeyNotRegisteredInSubNet');
  // Stake weight is alpha only on the devnet (no root network), see README.
  if (hotkeyAlpha(s, hotkey, netuid) < BigInt(s.get(StakeThreshold).toString())) throw ctx.error('NotEnoughStakeToSetWeights');
  const networkKey = num(WeightsVersionKey);
  if (networkKey !== 0n && versionKey < networkKey) throw ctx.error('IncorrectWeightVersionKey');
  const block = BigInt(ctx.blockNumber);
  const lastUpdates = readBigints(s, LastUpdate, netuid);
  const last = lastUpdates[uid] ?? 0n;
  if (last !== 0n && block - last < num(WeightsSetRateLimit)) throw ctx.error('SettingWeightsTooFast');
  const selfWeight = dests.length === 1 && dests[0] === uid;
  if (!selfWeight && readBools(s, ValidatorPermit, netuid)[uid] !== true) throw ctx.error('NeuronNoValidatorPermit');
  if (new Set(dests).size !== dests.length) throw ctx.error('DuplicateUids');
  if (dests.some((d) => d >= n)) throw ctx.error('UidVecContainInvalidOne');
  const minAllowed = Math.min(Number(num(MinAllowedWeights)), n);
  if (!selfWeight && dests.length < minAllowed) throw ctx.error('WeightVecLengthIsLow');
  const upscaled = maxUpscaleToU16(values);
  if (!selfWeight && !withinMaxWeightLimit(upscaled, Number(num(MaxWeightsLimit)))) throw ctx.error('MaxWeightExceeded');

  s.set(Weights, [netuid, uid], dests.map((d, i) => [d, upscaled[i] ?? 0]));
  s.set(LastUpdate, [netuid], setAt(lastUpdates, uid, block, 0n));
  ctx.emit('WeightsSet', [netuid, uid]);
}
