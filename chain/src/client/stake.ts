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
 * hotkey on the subnet (swapped to alpha by the subnet pool). At spec 233 the minimum is 550 000 rao.
 */
export async function addStake(client: ChainClient, coldkey: Keypair, hotkey: string, netuid: number, amountRao: bigint): Promise<TxReceipt> {
  checkAmount(amountRao);
  return submitExtrinsic(client, coldkey, callOf(client.api, 'subtensorModule', 'addStake')(hotkey, netuid, amountRao));
}

/** `SubtensorModule.remove_stake(hotkey, netuid, amount_unstaked)`: `amountAlphaRao` is alpha, not TAO. */
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
