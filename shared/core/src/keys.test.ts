import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, keypairFromUri, toAddress, verifySignature } from './keys.js';

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

  it('rejects a tampered message, another signer, and garbage signatures without throwing', () => {
    const alice = keypairFromUri('//Alice');
    const bob = keypairFromUri('//Bob');
    const message = new TextEncoder().encode('window 12 gradient');
    const signature = alice.sign(message);
    const tampered = message.slice();
    tampered[0] ^= 1;
    expect(verifySignature(tampered, signature, alice.address)).toBe(false);
    expect(verifySignature(message, signature, bob.address)).toBe(false);
    const flipped = signature.slice();
    flipped[63] ^= 0xff;
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
