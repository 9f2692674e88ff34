import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady } from '@crucible/core';
import { openSealed, sealedKeyHash, sealUpdate, SEAL_KEY_BYTES } from './seal.js';

beforeAll(() => cryptoReady());

const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { details?: { reason?: string } }).details?.reason;
  }
  return 'no error';
};

describe('sealed uploads', () => {
  const update = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);

  it('hide the update until the key is revealed, and open to exactly it', () => {
    const { sealed, key } = sealUpdate(update);
    expect(key.length).toBe(SEAL_KEY_BYTES);
    expect(Buffer.from(sealed).includes(Buffer.from(update.subarray(0, 64)))).toBe(false);
    expect(openSealed(sealed, key)).toEqual(update);
  });

  it('commit to one key: another key, even one that authenticates nothing else, is refused before decryption', () => {
    const { sealed } = sealUpdate(update);
    expect(reason(() => openSealed(sealed, new Uint8Array(32).fill(7)))).toBe('SEAL_KEY');
    expect(reason(() => openSealed(sealed, new Uint8Array(31)))).toBe('SEAL_KEY');
  });

  it('refuse tampered, truncated and foreign bytes with a reason', () => {
    const { sealed, key } = sealUpdate(update);
    const flipped = sealed.slice();
    flipped[100] = flipped[100]! ^ 1;
    expect(reason(() => openSealed(flipped, key))).toBe('SEAL_TAMPERED');
    expect(reason(() => openSealed(sealed.subarray(0, 40), key))).toBe('TOO_SHORT');
    const foreign = sealed.slice();
    foreign[0] = 0x41;
    expect(reason(() => sealedKeyHash(foreign))).toBe('BAD_MAGIC');
  });

  it('never repeat a nonce or key across seals of the same update', () => {
    const a = sealUpdate(update);
    const b = sealUpdate(update);
    expect(Buffer.from(a.sealed).equals(Buffer.from(b.sealed))).toBe(false);
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
  });
});
