/** `register_network`: lock cost, netuid choice and a new subnet's hyperparameters (spec 233 values). */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import { freeBalance, withdrawFee } from '../balances/currency.js';
import { sameAccount } from './accounts.js';
import { appendNeuron, claimHotkey, ownerOf, subnetExists } from './neurons.js';
import {
  ActivityCutoff,
  AdjustmentAlpha,
  AdjustmentInterval,
  Burn,
  ImmunityPeriod,
  Kappa,
  MaxAllowedUids,
  MaxAllowedValidators,
  MaxBurn,
  MaxWeightsLimit,
  MinAllowedWeights,
  MinBurn,
  NetworkLastLockCost,
  NetworkLastRegistered,
  NetworkLockReductionInterval,
  NetworkMinLockCost,
  NetworkRateLimit,
  NetworkRegisteredAt,
  NetworkRegistrationAllowed,
  NetworksAdded,
  SubnetAlphaIn,
  SubnetLimit,
  SubnetLocked,
  SubnetMechanism,
  SubnetOwner,
  SubnetOwnerHotkey,
  SubnetTAO,
  SubnetworkN,
  TargetRegistrationsPerInterval,
  Tempo,
  TotalNetworks,
} from './subtensorStorage.js';

const big = (ctx: DispatchContext, item: Parameters<DispatchContext['storage']['get']>[0]) => BigInt(ctx.storage.get(item).toString());

/**
 * `get_network_lock_cost`: `max(min_lock, mult · last_lock − (last_lock / reduction_interval) · (now −
 * last_lock_block))`, mult = 1 before the first registration and 2 after.
 */
export function networkLockCost(ctx: DispatchContext): bigint {
  const last = big(ctx, NetworkLastLockCost);
  const min = big(ctx, NetworkMinLockCost);
  const lastBlock = big(ctx, NetworkLastRegistered);
  const interval = big(ctx, NetworkLockReductionInterval);
  const mult = lastBlock === 0n ? 1n : 2n;
  const reduction = interval === 0n ? 0n : (last / interval) * (BigInt(ctx.blockNumber) - lastBlock);
  const cost = mult * last - reduction;
  return cost < min ? min : cost;
}

/** The hyperparameters subtensor writes for a new subnet at spec 233 (`init_new_network` + registration). */
function initNewNetwork(ctx: DispatchContext, netuid: number): void {
  const s = ctx.storage;
  s.set(NetworksAdded, [netuid], true);
  s.set(SubnetworkN, [netuid], 0);
  s.set(Tempo, [netuid], 99);
  s.set(NetworkRegisteredAt, [netuid], BigInt(ctx.blockNumber));
  s.set(NetworkRegistrationAllowed, [netuid], true);
  s.set(MaxAllowedUids, [netuid], 256);
  s.set(MaxAllowedValidators, [netuid], 64);
  s.set(MinAllowedWeights, [netuid], 1);
  s.set(MaxWeightsLimit, [netuid], 65535);
  s.set(AdjustmentInterval, [netuid], 360);
  s.set(TargetRegistrationsPerInterval, [netuid], 1);
  s.set(AdjustmentAlpha, [netuid], 17_893_341_751_498_265_066n); // 0.97 · u64::MAX
  s.set(ImmunityPeriod, [netuid], 5000);
  s.set(MinBurn, [netuid], 1n);
  s.set(MaxBurn, [netuid], 100_000_000_000n);
  s.set(Burn, [netuid], 1_000_000_000n);
  s.set(Kappa, [netuid], 32767);
  s.set(ActivityCutoff, [netuid], 5000);
  // Devnet: the stable mechanism (1 TAO = 1 alpha), see README.
  s.set(SubnetMechanism, [netuid], 0);
}

export function registerNetwork(ctx: DispatchContext, hotkey: AccountId): void {
  const coldkey = ctx.ensureSigned();
  const owner = ownerOf(ctx.storage, hotkey);
  if (owner !== undefined && !sameAccount(owner, coldkey)) throw ctx.error('NonAssociatedColdKey');
  const lastBlock = big(ctx, NetworkLastRegistered);
  if (lastBlock !== 0n && BigInt(ctx.blockNumber) - lastBlock < big(ctx, NetworkRateLimit)) throw ctx.error('NetworkTxRateLimitExceeded');
  const cost = networkLockCost(ctx);
  if (freeBalance(ctx.storage, coldkey) < cost) throw ctx.error('NotEnoughBalanceToStake');

  const limit = Number(ctx.storage.get(SubnetLimit).toString());
  const total = Number(ctx.storage.get(TotalNetworks).toString());
  let netuid = 1;
  while (subnetExists(ctx.storage, netuid)) netuid++;
  // Spec 233 would dissolve the lowest-emission subnet outside its immunity; the devnet refuses (README).
  if (total >= limit) throw ctx.error('AllNetworksInImmunity');

  if (!withdrawFee(ctx, coldkey, cost)) throw ctx.error('NotEnoughBalanceToStake');
  ctx.storage.set(NetworkLastLockCost, [], cost);
  ctx.storage.set(NetworkLastRegistered, [], BigInt(ctx.blockNumber));
  ctx.storage.set(TotalNetworks, [], total + 1);
  initNewNetwork(ctx, netuid);
  ctx.storage.set(SubnetOwner, [netuid], coldkey);
  ctx.storage.set(SubnetOwnerHotkey, [netuid], hotkey);
  ctx.storage.set(SubnetLocked, [netuid], cost);
  ctx.storage.set(SubnetTAO, [netuid], cost);
  ctx.storage.set(SubnetAlphaIn, [netuid], cost);
  claimHotkey(ctx.storage, coldkey, hotkey);
  appendNeuron(ctx, netuid, hotkey);
  ctx.emit('NetworkAdded', [netuid, 0]);
}
