/**
 * `add_stake` / `remove_stake` at spec 233 with the devnet's stable 1:1 TAO↔alpha price (README). The
 * flat 50 000 rao staking fee stays in the subnet's TAO reserve, as at spec 233.
 */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import { freeBalance, mintInto, withdrawFee } from '../balances/currency.js';
import { ownerOf, subnetExists } from './neurons.js';
import { coldkeyAlpha, stakeInto, unstakeFrom } from './staking.js';
import { SubnetTAO } from './subtensorStorage.js';

/** `DefaultMinStake` and `DefaultStakingFee` at spec 233 (rao). */
export const MIN_STAKE = 500_000n;
export const STAKING_FEE = 50_000n;

function adjustSubnetTao(ctx: DispatchContext, netuid: number, delta: bigint): void {
  const next = BigInt(ctx.storage.get(SubnetTAO, [netuid]).toString()) + delta;
  ctx.storage.set(SubnetTAO, [netuid], next < 0n ? 0n : next);
}

export function addStake(ctx: DispatchContext, hotkey: AccountId, netuid: number, amount: bigint): void {
  const coldkey = ctx.ensureSigned();
  if (!subnetExists(ctx.storage, netuid)) throw ctx.error('SubnetNotExists');
  if (amount < MIN_STAKE + STAKING_FEE) throw ctx.error('AmountTooLow');
  if (freeBalance(ctx.storage, coldkey) < amount) throw ctx.error('NotEnoughBalanceToStake');
  if (ownerOf(ctx.storage, hotkey) === undefined) throw ctx.error('HotKeyAccountNotExists');
  if (!withdrawFee(ctx, coldkey, amount)) throw ctx.error('NotEnoughBalanceToStake');
  const alpha = amount - STAKING_FEE;
  adjustSubnetTao(ctx, netuid, amount);
  stakeInto(ctx.storage, hotkey, coldkey, netuid, alpha);
  ctx.emit('StakeAdded', [coldkey, hotkey, amount, alpha, netuid]);
}

export function removeStake(ctx: DispatchContext, hotkey: AccountId, netuid: number, alpha: bigint): void {
  const coldkey = ctx.ensureSigned();
  if (!subnetExists(ctx.storage, netuid)) throw ctx.error('SubnetNotExists');
  if (alpha < MIN_STAKE) throw ctx.error('AmountTooLow');
  if (ownerOf(ctx.storage, hotkey) === undefined) throw ctx.error('HotKeyAccountNotExists');
  if (coldkeyAlpha(ctx.storage, hotkey, coldkey, netuid) < alpha) throw ctx.error('NotEnoughStakeToWithdraw');
  unstakeFrom(ctx.storage, hotkey, coldkey, netuid, alpha);
  const tao = alpha - STAKING_FEE;
  adjustSubnetTao(ctx, netuid, -tao);
  mintInto(ctx, coldkey, tao);
  ctx.emit('StakeRemoved', [coldkey, hotkey, tao, alpha, netuid]);
}
