import type { Codec } from '@polkadot/types/types';
import { CrucibleError, toHex, type Keypair } from '@crucible/core';
import { apiAt, callOf, storageEntry, toNumber, unwrapOption, vecOf } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

/** The largest fixed-size commitment field (`Data::Raw128`). */
export const MAX_RAW_COMMITMENT_BYTES = 128;
/** The largest `Data::BigRaw` field at spec 424. */
export const MAX_BIG_COMMITMENT_BYTES = 512;

/** The commitment field for `data`: `Raw<n>` up to 128 bytes, `BigRaw` up to 512. */
export function commitmentField(data: Uint8Array): Record<string, string> {
  if (data.length > MAX_BIG_COMMITMENT_BYTES) {
    throw new CrucibleError('STORAGE_TOO_LARGE', `a commitment field holds at most ${MAX_BIG_COMMITMENT_BYTES} bytes, got ${data.length}`, {
      details: { bytes: data.length, limit: MAX_BIG_COMMITMENT_BYTES },
    });
  }
  return data.length <= MAX_RAW_COMMITMENT_BYTES ? { [`Raw${data.length}`]: toHex(data) } : { BigRaw: toHex(data) };
}

/**
 * Publishes `data` as the hotkey's commitment on `netuid` (`Commitments.set_commitment`, signed by the
 * hotkey, no fee): one `Raw<n>` field up to 128 bytes, a `BigRaw` field up to 512. Only hotkeys
 * registered on the subnet may commit (Commitments.AccountNotAllowedCommit), and each hotkey has a
 * budget of `MaxSpace` (3100) bytes per epoch, every call counting at least 100
 * (Commitments.SpaceLimitExceeded).
 */
export async function setCommitment(client: ChainClient, hotkey: Keypair, netuid: number, data: Uint8Array): Promise<TxReceipt> {
  const info = { fields: [commitmentField(data)] };
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

/** Raw bytes of the first `Raw*` or `BigRaw` field of a `Registration { deposit, block, info: { fields } }`. */
export function commitmentBytes(registration: Codec): { block: number; data: Uint8Array } | null {
  const value = registration as unknown as { block: Codec; info: { fields: Codec } };
  const first = vecOf(value.info.fields).find((f) => {
    const type = (f as unknown as { type: string }).type;
    return type.startsWith('Raw') || type === 'BigRaw';
  }) as unknown as { value: Codec } | undefined;
  if (first === undefined) return null;
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
