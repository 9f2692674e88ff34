import type { Codec } from '@polkadot/types/types';
import { CrucibleError, toHex, type Keypair } from '@crucible/core';
import { apiAt, callOf, storageEntry, toNumber, unwrapOption, vecOf } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

/** The largest `Data::Raw*` field (`Raw128`). */
export const MAX_COMMITMENT_BYTES = 128;

/**
 * Publishes `data` (≤ 128 bytes, one `Data::Raw<len>` field) as the hotkey's commitment on `netuid`
 * (`Commitments.set_commitment`, signed by the hotkey). The chain allows one commitment per
 * `Commitments.RateLimit` blocks (100 by default at spec 233) and only for hotkeys registered on the
 * subnet; failures are CHAIN_DISPATCH with Commitments.CommitmentSetRateLimitExceeded or
 * AccountNotAllowedCommit.
 */
export async function setCommitment(client: ChainClient, hotkey: Keypair, netuid: number, data: Uint8Array): Promise<TxReceipt> {
  if (data.length > MAX_COMMITMENT_BYTES) {
    throw new CrucibleError('STORAGE_TOO_LARGE', `a commitment holds at most ${MAX_COMMITMENT_BYTES} bytes, got ${data.length}`, {
      details: { bytes: data.length, limit: MAX_COMMITMENT_BYTES },
    });
  }
  const info = { fields: [{ [`Raw${data.length}`]: toHex(data) }] };
  return submitExtrinsic(client, hotkey, callOf(client.api, 'commitments', 'setCommitment')(netuid, info));
}

/** The bytes a hotkey committed on `netuid`, with the block it was set at; null when there is none. */
export async function getCommitment(
  client: ChainClient,
  netuid: number,
  hotkey: string,
  options: { atBlock?: number } = {},
): Promise<{ block: number; data: Uint8Array } | null> {
  const api = await apiAt(client.api, options.atBlock);
  const registration = unwrapOption(await storageEntry(api, 'commitments', 'commitmentOf')(netuid, hotkey));
  return registration === undefined ? null : commitmentBytes(registration);
}

/** Raw bytes of the first `Data::Raw*` field of a `Registration { deposit, block, info: { fields } }`. */
export function commitmentBytes(registration: Codec): { block: number; data: Uint8Array } | null {
  const value = registration as unknown as { block: Codec; info: { fields: Codec } };
  const first = vecOf(value.info.fields)[0] as unknown as { type: string; value: Codec } | undefined;
  if (first === undefined || !first.type.startsWith('Raw')) return null;
  return { block: toNumber(value.block), data: first.value.toU8a(true) };
}

/**
 * Sets the hotkey's commitment to `data` unless the chain already holds exactly that (the chain
 * rate-limits commitments, so an unchanged one is never re-sent). Failures throw as setCommitment's do.
 */
export async function ensureCommitment(client: ChainClient, hotkey: Keypair, netuid: number, data: Uint8Array): Promise<'unchanged' | 'set'> {
  const current = await getCommitment(client, netuid, hotkey.address);
  if (current && Buffer.from(current.data).equals(Buffer.from(data))) return 'unchanged';
  await setCommitment(client, hotkey, netuid, data);
  return 'set';
}
