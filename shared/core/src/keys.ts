import { Keyring } from '@polkadot/keyring';
import { decodePair } from '@polkadot/keyring/pair/decode';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import {
  blake2AsU8a,
  cryptoWaitReady,
  decodeAddress,
  encodeAddress,
  mnemonicGenerate,
  sr25519Verify,
} from '@polkadot/util-crypto';
import { isReady as wasmCryptoReady, sr25519Sign as wasmSr25519Sign } from '@polkadot/wasm-crypto';
import { CrucibleError } from './errors.js';

/** Bittensor's ss58 prefix (the generic Substrate one). */
export const SS58_PREFIX = 42;

let ready: Promise<boolean> | undefined;

/** Loads the WASM sr25519 backend (about 7× faster than the JS fallback). Idempotent. */
export function cryptoReady(): Promise<boolean> {
  ready ??= cryptoWaitReady();
  return ready;
}

/** An sr25519 key that can sign. `address` is its ss58 form (prefix 42). */
export interface Keypair {
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly pair: KeyringPair;
  sign(message: Uint8Array): Uint8Array;
}

function wrap(pair: KeyringPair): Keypair {
  // @polkadot/util-crypto 14 signs sr25519 in plain JS (@scure/sr25519), deriving the public key from
  // the secret again on every call: ≈1 ms a signature (miners sign every update). Once cryptoReady() has
  // loaded the WASM backend, the same kind of signature (schnorrkel; every sr25519 verifier accepts it)
  // takes ≈0.15 ms there. The secret comes out once, through the keyring's own (unencrypted) pair encoding.
  const { publicKey } = pair;
  const { secretKey } = decodePair(undefined, pair.encodePkcs8(), 'none');
  return {
    address: pair.address,
    publicKey,
    pair,
    sign: (message) => (wasmCryptoReady() ? wasmSr25519Sign(publicKey, secretKey, message) : pair.sign(message)),
  };
}

function keyring(): Keyring {
  return new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
}

/**
 * A keypair from a secret URI: a mnemonic, a 0x-prefixed 32-byte seed, or a dev URI such as `//Alice`,
 * each with optional derivation path. Call `cryptoReady()` first.
 */
export function keypairFromUri(uri: string): Keypair {
  try {
    return wrap(keyring().addFromUri(uri));
  } catch (cause) {
    throw new CrucibleError('KEY_INVALID', 'not a valid secret URI, mnemonic or seed', { cause });
  }
}

/** A keypair from the 64-byte sr25519 secret key (expanded key + nonce) and its public key. */
export function keypairFromSecretKey(secretKey: Uint8Array, publicKey: Uint8Array): Keypair {
  if (secretKey.length !== 64 || publicKey.length !== 32) {
    throw new CrucibleError('KEY_INVALID', 'sr25519 secret key must be 64 bytes and public key 32 bytes', {
      details: { secretKeyBytes: secretKey.length, publicKeyBytes: publicKey.length },
    });
  }
  return wrap(keyring().addFromPair({ publicKey, secretKey }));
}

export function generateMnemonic(words: 12 | 24 = 12): string {
  return mnemonicGenerate(words);
}

/** The 32-byte public key behind an ss58 address or a 0x hex public key; throws KEY_INVALID. */
export function publicKeyOf(addressOrHex: string | Uint8Array): Uint8Array {
  if (addressOrHex instanceof Uint8Array) {
    if (addressOrHex.length !== 32) throw new CrucibleError('KEY_INVALID', 'public key must be 32 bytes');
    return addressOrHex;
  }
  try {
    return decodeAddress(addressOrHex);
  } catch (cause) {
    throw new CrucibleError('KEY_INVALID', `not an ss58 address or public key: ${addressOrHex}`, { cause });
  }
}

export function toAddress(publicKey: Uint8Array | string): string {
  return encodeAddress(publicKeyOf(publicKey), SS58_PREFIX);
}

export function isValidAddress(address: string): boolean {
  try {
    decodeAddress(address);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when `signature` is a valid sr25519 signature of `message` by `signer`. Never throws: a
 * corrupted signature can make the underlying verifier throw, which is a "no" here. Only sr25519 is
 * accepted (Bittensor hotkeys are sr25519), which also keeps forged blobs cheap to refuse.
 */
export function verifySignature(message: Uint8Array, signature: Uint8Array, signer: string | Uint8Array): boolean {
  try {
    if (signature.length !== 64) return false;
    return sr25519Verify(message, signature, publicKeyOf(signer));
  } catch {
    return false;
  }
}

/** Signs and returns the signature; the same helper for every artifact so the domain is one place. */
export function signBytes(keypair: Keypair, message: Uint8Array): Uint8Array {
  return keypair.sign(message);
}

export function blake2b256(data: Uint8Array): Uint8Array {
  return blake2AsU8a(data, 256);
}

export function toHex(bytes: Uint8Array): `0x${string}` {
  return u8aToHex(bytes) as `0x${string}`;
}
