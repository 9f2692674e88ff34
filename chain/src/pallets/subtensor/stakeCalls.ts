/**
 * Staking calls at spec 424 (`staking/add_stake.rs`, `remove_stake.rs`, `stake_utils.rs`): add_stake,
 * add_stake_limit, remove_stake, remove_stake_limit, remove_stake_full_limit. TAO is swapped through
 * the subnet pool (swap.ts) with its fee; the minimum is `DefaultMinStake` (2,000,000 rao) plus the fee
 * on it; staking needs `SubtokenEnabled` (the owner's start_call). A remove_stake for more than the
 * coldkey holds unstakes what it holds, as the chain does.
 */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import { freeBalance, mintInto, withdrawFee } from '../balances/currency.js';
import { ownerOf, subnetExists } from './neurons.js';
import { big, flag } from './read.js';
import { coldkeyAlpha, stakeInto, unstakeFrom } from './staking.js';
import { isDynamic, maxAlphaForPrice, maxTaoForPrice, simAlphaForTao, simTaoForAlpha, swapAlphaForTao, swapTaoForAlpha } from './swap.js';
import { Delegates, SubnetAlphaIn, SubnetTAO, SubtokenEnabled } from './subtensorStorage.js';
import { subtensorConstants } from './subtensorConstants.js';

/** `DefaultMinStake` (= InitialMinStake), rao. */
export const MIN_STAKE = subtensorConstants.InitialMinStake.value;
const MAX_INPUT_RESERVE_MULTIPLIER = 1000n;

function ensureSubtokenEnabled(ctx: DispatchContext, netuid: number): void {
  if (!flag(ctx.storage, SubtokenEnabled, [netuid])) throw ctx.error('SubtokenDisabled');
}

function ensureWithinSwapLimit(ctx: DispatchContext, netuid: number, amount: bigint, reserve: typeof SubnetTAO): void {
  if (isDynamic(ctx.storage, netuid) && amount > big(ctx.storage, reserve, [netuid]) * MAX_INPUT_RESERVE_MULTIPLIER) throw ctx.error('InsufficientLiquidity');
}

/** `validate_add_stake`. */
function validateAdd(ctx: DispatchContext, coldkey: AccountId, hotkey: AccountId, netuid: number, amount: bigint, max: bigint, allowPartial: boolean): void {
  const s = ctx.storage;
  if (!subnetExists(s, netuid)) throw ctx.error('SubnetNotExists');
  ensureSubtokenEnabled(ctx, netuid);
  if (amount < MIN_STAKE + simTaoForAlpha(s, netuid, MIN_STAKE).fee) throw ctx.error('AmountTooLow');
  const staked = allowPartial ? (amount < max ? amount : max) : amount;
  if (!allowPartial && amount > max) throw ctx.error('SlippageTooHigh');
  if (freeBalance(s, coldkey) < staked) throw ctx.error('NotEnoughBalanceToStake');
  if (ownerOf(s, hotkey) === undefined) throw ctx.error('HotKeyAccountNotExists');
  const sim = simTaoForAlpha(s, netuid, staked);
  if (sim.paidIn < MIN_STAKE) throw ctx.error('AmountTooLow');
  if (sim.paidOut === 0n) throw ctx.error('InsufficientLiquidity');
}

/** `stake_into_subnet`: withdraw, swap, credit the alpha, StakeAdded(coldkey, hotkey, tao, alpha, netuid, fee). */
function stakeIntoSubnet(ctx: DispatchContext, coldkey: AccountId, hotkey: AccountId, netuid: number, tao: bigint): void {
  if (!withdrawFee(ctx, coldkey, tao)) throw ctx.error('NotEnoughBalanceToStake');
  const swap = swapTaoForAlpha(ctx.storage, netuid, tao);
  if (swap.paidOut === 0n) throw ctx.error('AmountTooLow');
  stakeInto(ctx.storage, hotkey, coldkey, netuid, swap.paidOut);
  ctx.emit('StakeAdded', [coldkey, hotkey, tao, swap.paidOut, netuid, swap.fee]);
}

export function addStake(ctx: DispatchContext, hotkey: AccountId, netuid: number, amount: bigint): void {
  const coldkey = ctx.ensureSigned();
  ensureWithinSwapLimit(ctx, netuid, amount, SubnetTAO);
  validateAdd(ctx, coldkey, hotkey, netuid, amount, amount, false);
  stakeIntoSubnet(ctx, coldkey, hotkey, netuid, amount);
}

export function addStakeLimit(ctx: DispatchContext, hotkey: AccountId, netuid: number, amount: bigint, limitPrice: bigint, allowPartial: boolean): void {
  const coldkey = ctx.ensureSigned();
  ensureWithinSwapLimit(ctx, netuid, amount, SubnetTAO);
  const max = maxTaoForPrice(ctx.storage, netuid, limitPrice);
  validateAdd(ctx, coldkey, hotkey, netuid, amount, max, allowPartial);
  // `maybe_become_delegate`: staking to another's hotkey makes it a delegate with its take.
  const owner = ownerOf(ctx.storage, hotkey);
  if (owner !== undefined && Buffer.compare(owner, coldkey) !== 0 && ctx.storage.tryGet(Delegates, [hotkey]) === undefined) {
    ctx.storage.set(Delegates, [hotkey], ctx.storage.get(Delegates, [hotkey]));
  }
  stakeIntoSubnet(ctx, coldkey, hotkey, netuid, amount < max ? amount : max);
}

/** `validate_remove_stake`. */
function validateRemove(ctx: DispatchContext, coldkey: AccountId, hotkey: AccountId, netuid: number, alpha: bigint, max: bigint, allowPartial: boolean): void {
  const s = ctx.storage;
  if (!subnetExists(s, netuid)) throw ctx.error('SubnetNotExists');
  if (alpha === 0n) throw ctx.error('AmountTooLow');
  const held = coldkeyAlpha(s, hotkey, coldkey, netuid);
  if (held < alpha) throw ctx.error('NotEnoughStakeToWithdraw');
  if (held - alpha > 0n && simAlphaForTao(s, netuid, alpha).paidOut < MIN_STAKE) throw ctx.error('AmountTooLow');
  if (!allowPartial && alpha > max) throw ctx.error('SlippageTooHigh');
  if (ownerOf(s, hotkey) === undefined) throw ctx.error('HotKeyAccountNotExists');
}

/** `unstake_from_subnet`: swap back, pay the coldkey, StakeRemoved(coldkey, hotkey, tao, alpha, netuid, fee). */
function unstakeFromSubnet(ctx: DispatchContext, coldkey: AccountId, hotkey: AccountId, netuid: number, alpha: bigint): void {
  unstakeFrom(ctx.storage, hotkey, coldkey, netuid, alpha);
  const swap = swapAlphaForTao(ctx.storage, netuid, alpha);
  mintInto(ctx, coldkey, swap.paidOut);
  ctx.emit('StakeRemoved', [coldkey, hotkey, swap.paidOut, swap.paidIn, netuid, swap.fee]);
}

export function removeStake(ctx: DispatchContext, hotkey: AccountId, netuid: number, amount: bigint): void {
  const coldkey = ctx.ensureSigned();
  ensureSubtokenEnabled(ctx, netuid);
  const held = coldkeyAlpha(ctx.storage, hotkey, coldkey, netuid);
  const alpha = amount < held ? amount : held;
  ensureWithinSwapLimit(ctx, netuid, alpha, SubnetAlphaIn);
  validateRemove(ctx, coldkey, hotkey, netuid, alpha, alpha, false);
  unstakeFromSubnet(ctx, coldkey, hotkey, netuid, alpha);
}

export function removeStakeLimit(ctx: DispatchContext, hotkey: AccountId, netuid: number, amount: bigint, limitPrice: bigint, allowPartial: boolean): void {
  const coldkey = ctx.ensureSigned();
  ensureWithinSwapLimit(ctx, netuid, amount, SubnetAlphaIn);
  const max = maxAlphaForPrice(ctx.storage, netuid, limitPrice);
  validateRemove(ctx, coldkey, hotkey, netuid, amount, max, allowPartial);
  unstakeFromSubnet(ctx, coldkey, hotkey, netuid, amount < max ? amount : max);
}

export function removeStakeFullLimit(ctx: DispatchContext, hotkey: AccountId, netuid: number, limitPrice: bigint | undefined): void {
  const coldkey = ctx.ensureSigned();
  const held = coldkeyAlpha(ctx.storage, hotkey, coldkey, netuid);
  if (limitPrice === undefined) removeStake(ctx, hotkey, netuid, held);
  else removeStakeLimit(ctx, hotkey, netuid, held, limitPrice, false);
}
