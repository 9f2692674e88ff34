/** Small typed readers for decoded @polkadot/types codecs (storage values and call arguments). */
import type { Codec } from '@polkadot/types/types';

export function bigIntOf(c: Codec | undefined): bigint {
  if (c === undefined) throw new Error('missing value');
  return (c as unknown as { toBigInt(): bigint }).toBigInt();
}

export function numberOf(c: Codec | undefined): number {
  if (c === undefined) throw new Error('missing value');
  return (c as unknown as { toNumber(): number }).toNumber();
}

export function boolOf(c: Codec | undefined): boolean {
  if (c === undefined) throw new Error('missing value');
  return (c as unknown as { isTrue: boolean }).isTrue;
}

/** The value bytes without a length prefix (Bytes, [u8; N], AccountId32, H256). */
export function bytesOf(c: Codec | undefined): Uint8Array {
  if (c === undefined) throw new Error('missing value');
  return c.toU8a(true);
}
