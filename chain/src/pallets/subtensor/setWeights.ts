/**
 * `set_weights` at spec 424 (`subnets/weights.rs` `internal_set_weights`), the checks in the chain's
 * order. The call itself fails with CommitRevealEnabled while commit-reveal is on (the default); a
 * reveal runs the same checks but the rate limit, and does not move LastUpdate.
 */
import type { DispatchContext } from '../../runtime/pallet.js';
import { maxUpscaleToU16, withinMaxWeightLimit } from '../../yuma/quantize.js';
import { subnetExists, subnetN, ownerUid, uidOf } from './neurons.js';
import { big, flag, num } from './read.js';
import { consensusStake } from './stakeWeight.js';
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
import type { StorageAccess } from '../../runtime/storageAccess.js';

/** `check_weights_min_stake`: consensus stake ≥ StakeThreshold; the subnet owner's hotkey is exempt. */
export function hasWeightsMinStake(s: StorageAccess, hotkey: Uint8Array, netuid: number): boolean {
  const uid = uidOf(s, netuid, hotkey);
  if (uid !== undefined && uid === ownerUid(s, netuid)) return true;
  return consensusStake(s, hotkey, netuid).totalRao >= big(s, StakeThreshold);
}

/** `check_rate_limit`: LastUpdate is 0 (never set) or WeightsSetRateLimit blocks have passed. */
export function passesWeightsRateLimit(s: StorageAccess, netuid: number, uid: number, block: number): boolean {
  const last = readBigints(s, LastUpdate, netuid)[uid] ?? 0n;
  return last === 0n || BigInt(block) - last >= big(s, WeightsSetRateLimit, [netuid]);
}

export function setWeightsCall(ctx: DispatchContext, netuid: number, dests: number[], values: number[], versionKey: bigint): void {
  if (flag(ctx.storage, CommitRevealWeightsEnabled, [netuid])) throw ctx.error('CommitRevealEnabled');
  applyWeights(ctx, netuid, dests, values, versionKey);
}

export function applyWeights(ctx: DispatchContext, netuid: number, dests: number[], values: number[], versionKey: bigint): void {
  const hotkey = ctx.ensureSigned();
  const s = ctx.storage;
  if (netuid === 0) throw ctx.error('CanNotSetRootNetworkWeights');
  if (dests.length !== values.length) throw ctx.error('WeightVecNotEqualSize');
  if (!subnetExists(s, netuid)) throw ctx.error('MechanismDoesNotExist');
  const n = subnetN(s, netuid);
  if (dests.length > n) throw ctx.error('UidsLengthExceedUidsInSubNet');
  const uid = uidOf(s, netuid, hotkey);
  if (uid === undefined) throw ctx.error('HotKeyNotRegisteredInSubNet');
  if (!hasWeightsMinStake(s, hotkey, netuid)) throw ctx.error('NotEnoughStakeToSetWeights');
  const networkKey = big(s, WeightsVersionKey, [netuid]);
  if (networkKey !== 0n && versionKey < networkKey) throw ctx.error('IncorrectWeightVersionKey');
  const commitReveal = flag(s, CommitRevealWeightsEnabled, [netuid]);
  if (!commitReveal && !passesWeightsRateLimit(s, netuid, uid, ctx.blockNumber)) throw ctx.error('SettingWeightsTooFast');
  const selfWeight = values.length === 1 && dests[0] === uid;
  if (!selfWeight && uid !== ownerUid(s, netuid) && readBools(s, ValidatorPermit, netuid)[uid] !== true) throw ctx.error('NeuronNoValidatorPermit');
  if (new Set(dests).size !== dests.length) throw ctx.error('DuplicateUids');
  if (dests.some((d) => d >= n)) throw ctx.error('UidVecContainInvalidOne');
  const minAllowed = Math.min(num(s, MinAllowedWeights, [netuid]), n);
  if (!selfWeight && values.length < minAllowed) throw ctx.error('WeightVecLengthIsLow');
  const upscaled = maxUpscaleToU16(values);
  const maxLimit = num(s, MaxWeightsLimit, [netuid]);
  if (!selfWeight && maxLimit !== 65535 && !withinMaxWeightLimit(upscaled, maxLimit)) throw ctx.error('MaxWeightExceeded');

  s.set(Weights, [netuid, uid], dests.map((d, i) => [d, upscaled[i] ?? 0]));
  if (!commitReveal) s.set(LastUpdate, [netuid], setAt(readBigints(s, LastUpdate, netuid), uid, BigInt(ctx.blockNumber), 0n));
  ctx.emit('WeightsSet', [netuid, uid]);
}
