import { CrucibleError, type Keypair } from '@crucible/core';
import { callOf } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

function checkAmount(amount: bigint): void {
  if (amount <= 0n || amount >= 1n << 64n) {
    throw new CrucibleError('USAGE', `amount must be a positive u64 in rao, got ${amount}`, { details: { amount: amount.toString() } });
  }
}

/**
 * `SubtensorModule.add_stake(hotkey, netuid, amount_staked)`: the coldkey stakes `amountRao` TAO to the
 * hotkey on the subnet, swapped to alpha through the subnet pool (swap fee ≈ 0.05%, reported in
 * StakeAdded). At spec 424 the minimum is 2,000,000 rao plus the fee on it, and the subnet owner must
 * have called `start_call` (SubtensorModule.SubtokenDisabled otherwise).
 */
export async function addStake(client: ChainClient, coldkey: Keypair, hotkey: string, netuid: number, amountRao: bigint): Promise<TxReceipt> {
  checkAmount(amountRao);
  return submitExtrinsic(client, coldkey, callOf(client.api, 'subtensorModule', 'addStake')(hotkey, netuid, amountRao));
}

/**
 * `add_stake_limit`: stakes at most until the alpha price reaches `limitPriceRao` (rao per alpha).
 * Without `allowPartial` a stake that would pass the limit fails with SlippageTooHigh; with it, the
 * part below the limit is staked.
 */
export async function addStakeLimit(
  client: ChainClient,
  coldkey: Keypair,
  hotkey: string,
  netuid: number,
  amountRao: bigint,
  limitPriceRao: bigint,
  options: { allowPartial?: boolean } = {},
): Promise<TxReceipt> {
  checkAmount(amountRao);
  const call = callOf(client.api, 'subtensorModule', 'addStakeLimit')(hotkey, netuid, amountRao, limitPriceRao, options.allowPartial ?? false);
  return submitExtrinsic(client, coldkey, call);
}

/**
 * `SubtensorModule.remove_stake(hotkey, netuid, amount_unstaked)`: `amountAlphaRao` is alpha, not TAO.
 * Asking for more than the coldkey holds unstakes what it holds (the chain clamps).
 */
export async function removeStake(
  client: ChainClient,
  coldkey: Keypair,
  hotkey: string,
  netuid: number,
  amountAlphaRao: bigint,
): Promise<TxReceipt> {
  checkAmount(amountAlphaRao);
  return submitExtrinsic(client, coldkey, callOf(client.api, 'subtensorModule', 'removeStake')(hotkey, netuid, amountAlphaRao));
}

/** `remove_stake_limit`: unstakes at most until the alpha price falls to `limitPriceRao` (rao per alpha). */
export async function removeStakeLimit(
  client: ChainClient,
  coldkey: Keypair,
  hotkey: string,
  netuid: number,
  amountAlphaRao: bigint,
  limitPriceRao: bigint,
  options: { allowPartial?: boolean } = {},
): Promise<TxReceipt> {
  checkAmount(amountAlphaRao);
  const call = callOf(client.api, 'subtensorModule', 'removeStakeLimit')(hotkey, netuid, amountAlphaRao, limitPriceRao, options.allowPartial ?? false);
  return submitExtrinsic(client, coldkey, call);
}
