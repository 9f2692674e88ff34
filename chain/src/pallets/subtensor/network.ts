/**
 * Subnets at spec 424: `register_network` (lock cost, netuid, the new subnet's parameters and pool,
 * emission off until the owner's `start_call`) and `start_call` (`subnets/subnet.rs`).
 */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { freeBalance, withdrawFee } from '../balances/currency.js';
import { sameAccount } from './accounts.js';
import { appendNeuron, claimHotkey, ownerOf, subnetExists } from './neurons.js';
import { addU64, big, num } from './read.js';
import { ensureSubnetOwner } from './origins.js';
import { lastRateLimitedBlock, setLastRateLimitedBlock } from './rateLimits.js';
import {
  Burn,
  FirstEmissionBlockNumber,
  ImmunityPeriod,
  LastEpochBlock,
  MaxAllowedUids,
  MaxAllowedValidators,
  MinAllowedWeights,
  NetworkLastLockCost,
  NetworkLockReductionInterval,
  NetworkMinLockCost,
  NetworkRateLimit,
  NetworkRegisteredAt,
  NetworkRegistrationAllowed,
  NetworksAdded,
  RegisteredSubnetCounter,
  StartCallDelay,
  SubnetAlphaIn,
  SubnetAlphaOut,
  SubnetEmissionEnabled,
  SubnetLimit,
  SubnetLocked,
  SubnetMechanism,
  SubnetOwner,
  SubnetOwnerHotkey,
  SubnetTAO,
  SubnetVolume,
  SubnetworkN,
  SubtokenEnabled,
  Tempo,
  TotalNetworks,
  TotalStake,
  Yuma3On,
} from './subtensorStorage.js';
import { subtensorConstants } from './subtensorConstants.js';

const NETWORK_LAST_REGISTERED = { NetworkLastRegistered: null };
/** `DefaultNeuronBurnCost`: a new subnet's registration price (1 TAO). */
const NEW_SUBNET_BURN = 1_000_000_000n;

/** `get_network_lock_cost`: max(min_lock, mult · last_lock − (last_lock / interval) · (now − last_block)). */
export function networkLockCost(s: StorageAccess, block: number): bigint {
  const last = big(s, NetworkLastLockCost);
  const min = big(s, NetworkMinLockCost);
  const lastBlock = lastRateLimitedBlock(s, NETWORK_LAST_REGISTERED);
  const interval = big(s, NetworkLockReductionInterval);
  const mult = lastBlock === 0n ? 1n : 2n;
  const reduction = interval === 0n ? 0n : (last / interval) * (BigInt(block) - lastBlock);
  const cost = mult * last - reduction;
  return cost < min ? min : cost;
}

/** Whether the coldkey may register a network now (`TransactionType::RegisterNetwork`). */
export function networkRateLimitPasses(s: StorageAccess, block: number): boolean {
  const last = lastRateLimitedBlock(s, NETWORK_LAST_REGISTERED);
  return last === 0n || BigInt(block) - last >= big(s, NetworkRateLimit);
}

/** `init_new_network`: tempo, the stagger of its epoch anchor, and a new subnet's explicit values. */
function initNewNetwork(s: StorageAccess, netuid: number, block: number): void {
  const tempo = Number(subtensorConstants.InitialTempo.value);
  s.set(SubnetworkN, [netuid], 0);
  s.set(NetworksAdded, [netuid], true);
  s.set(Tempo, [netuid], tempo);
  s.set(LastEpochBlock, [netuid], BigInt(Math.max(0, block - (netuid % Math.max(1, tempo)))));
  s.set(TotalNetworks, [], num(s, TotalNetworks) + 1);
  s.set(NetworkRegistrationAllowed, [netuid], true);
  s.set(MaxAllowedUids, [netuid], 256);
  s.set(MaxAllowedValidators, [netuid], 64);
  s.set(MinAllowedWeights, [netuid], 1);
  s.set(ImmunityPeriod, [netuid], 5000);
  s.set(Yuma3On, [netuid], true);
  s.set(Burn, [netuid], NEW_SUBNET_BURN);
}

export function registerNetwork(ctx: DispatchContext, hotkey: AccountId): void {
  const coldkey = ctx.ensureSigned();
  const s = ctx.storage;
  const owner = ownerOf(s, hotkey);
  if (owner !== undefined && !sameAccount(owner, coldkey)) throw ctx.error('NonAssociatedColdKey');
  if (!networkRateLimitPasses(s, ctx.blockNumber)) throw ctx.error('NetworkTxRateLimitExceeded');
  // The devnet refuses at the limit; Bittensor would dissolve the weakest subnet outside its immunity.
  if (num(s, TotalNetworks) >= num(s, SubnetLimit)) throw ctx.error('SubnetLimitReached');
  const lock = networkLockCost(s, ctx.blockNumber);
  if (freeBalance(s, coldkey) < lock) throw ctx.error('CannotAffordLockCost');
  let netuid = 1;
  while (subnetExists(s, netuid)) netuid++;

  initNewNetwork(s, netuid, ctx.blockNumber);
  if (!withdrawFee(ctx, coldkey, lock)) throw ctx.error('CannotAffordLockCost');
  s.set(NetworkLastLockCost, [], lock);
  setLastRateLimitedBlock(s, NETWORK_LAST_REGISTERED, BigInt(ctx.blockNumber));
  claimHotkey(s, coldkey, hotkey);
  appendNeuron(s, netuid, hotkey, ctx.blockNumber);
  s.set(SubnetMechanism, [netuid], 1);
  s.set(NetworkRegisteredAt, [netuid], BigInt(ctx.blockNumber));
  s.set(RegisteredSubnetCounter, [netuid], big(s, RegisteredSubnetCounter, [netuid]) + 1n);
  // The whole lock stays in the pool, the alpha reserve sized at price 1 (the median price of the
  // devnet's subnets, which never trade away from it for long).
  const poolTao = lock > big(s, NetworkMinLockCost) ? lock : big(s, NetworkMinLockCost);
  s.set(SubnetTAO, [netuid], poolTao);
  s.set(SubnetAlphaIn, [netuid], poolTao);
  s.set(SubnetOwner, [netuid], coldkey);
  s.set(SubnetOwnerHotkey, [netuid], hotkey);
  s.set(SubnetLocked, [netuid], lock);
  s.set(SubnetAlphaOut, [netuid], 0n);
  s.set(SubnetVolume, [netuid], 0n);
  addU64(s, TotalStake, [], poolTao);
  ctx.emit('NetworkAdded', [netuid, 1]);
  s.set(SubnetEmissionEnabled, [netuid], false);
}

export function startCall(ctx: DispatchContext, netuid: number): void {
  const s = ctx.storage;
  if (!subnetExists(s, netuid)) throw ctx.error('SubnetNotExists');
  ensureSubnetOwner(ctx, netuid);
  if (s.tryGet(FirstEmissionBlockNumber, [netuid]) !== undefined) throw ctx.error('FirstEmissionBlockNumberAlreadySet');
  if (BigInt(ctx.blockNumber) < big(s, NetworkRegisteredAt, [netuid]) + big(s, StartCallDelay)) throw ctx.error('NeedWaitingMoreBlocksToStarCall');
  const first = BigInt(ctx.blockNumber) + 1n;
  s.set(FirstEmissionBlockNumber, [netuid], first);
  s.set(SubtokenEnabled, [netuid], true);
  ctx.emit('FirstEmissionBlockNumberSet', [netuid, first]);
}
