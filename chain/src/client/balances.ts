import { CrucibleError, type Keypair } from '@crucible/core';
import { callOf, storageEntry, toBigInt } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

/** Free TAO balance (rao) of an account (`System.Account.data.free`). */
export async function getBalance(client: ChainClient, address: string): Promise<bigint> {
  const info = (await storageEntry(client.api, 'system', 'account')(address)) as unknown as { data: { free: Parameters<typeof toBigInt>[0] } };
  return toBigInt(info.data.free);
}

/** `Balances.transfer_keep_alive(dest, value)`: moves `amountRao` from `from`, keeping it above the existential deposit. */
export async function transfer(client: ChainClient, from: Keypair, to: string, amountRao: bigint): Promise<TxReceipt> {
  if (amountRao <= 0n) throw new CrucibleError('USAGE', 'amount must be positive', { details: { amount: amountRao.toString() } });
  return submitExtrinsic(client, from, callOf(client.api, 'balances', 'transferKeepAlive')(to, amountRao));
}
