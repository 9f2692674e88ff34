import { beforeAll, describe, expect, it } from 'vitest';
import { decodePair } from '@polkadot/keyring/pair/decode';
import { cryptoReady, keypairFromSecretKey, keypairFromUri, toAddress, verifySignature } from './keys.js';

beforeAll(async () => {
  await cryptoReady();
});

describe('sr25519 signing', () => {
  it('uses ss58 prefix 42 (Alice is 5Grw...)', () => {
    expect(keypairFromUri('//Alice').address).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
  });

  it('verifies its own signature over arbitrary bytes', () => {
    const alice = keypairFromUri('//Alice');
    const message = new Uint8Array(1000).map((_, i) => (i * 31) & 0xff);
    const signature = alice.sign(message);
    expect(verifySignature(message, signature, alice.address)).toBe(true);
    expect(verifySignature(message, signature, alice.publicKey)).toBe(true);
  });

  it('makes signatures the keyring itself verifies, from a URI or from the raw secret key (the WASM signer)', () => {
    const message = new TextEncoder().encode('window 7 gradient');
    const alice = keypairFromUri('//Alice');
    const again = keypairFromSecretKey(decodePair(undefined, alice.pair.encodePkcs8(), 'none').secretKey, alice.publicKey);
    for (const key of [alice, again]) {
      const signature = key.sign(message);
      expect(signature.length).toBe(64);
      expect(alice.pair.verify(message, signature, alice.publicKey)).toBe(true);
      expect(verifySignature(message, signature, alice.address)).toBe(true);
    }
    // Randomised like the keyring's own: two signatures of one message differ, both verify.
    expect(alice.sign(message)).not.toEqual(alice.sign(message));
    expect(verifySignature(message, alice.pair.sign(message), alice.address)).toBe(true);
  });

  it('rejects a tampered message, another signer, and garbage signatures without throwing', () => {
    const alice = keypairFromUri('//Alice');
    const bob = keypairFromUri('//Bob');
    const message = new TextEncoder().encode('window 12 gradient');
    const signature = alice.sign(message);
    const tampered = message.slice();
    tampered[0] = tampered[0]! ^ 1;
    expect(verifySignature(tampered, signature, alice.address)).toBe(false);
    expect(verifySignature(message, signature, bob.address)).toBe(false);
    const flipped = signature.slice();
    flipped[63] = flipped[63]! ^ 0xff;
    expect(verifySignature(message, flipped, alice.address)).toBe(false);
    expect(verifySignature(message, new Uint8Array(64).fill(0xff), alice.address)).toBe(false);
    expect(verifySignature(message, signature.subarray(0, 10), alice.address)).toBe(false);
    expect(verifySignature(message, signature, 'not-an-address')).toBe(false);
  });

  it('round-trips addresses', () => {
    const alice = keypairFromUri('//Alice');
    expect(toAddress(alice.publicKey)).toBe(alice.address);
  });
});
