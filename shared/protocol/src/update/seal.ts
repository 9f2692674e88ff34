import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { blake2b256, CrucibleError } from '@crucible/core';

/**
 * Sealed uploads: a miner stores its signed update encrypted before the upload deadline and reveals the
 * key after it. Until the deadline nobody can read the update, so nobody can copy it, blend it, re-sign
 * it or claim it first; after the deadline a copy is late. The key's hash is part of the sealed object,
 * so exactly one key opens it and the plaintext is fixed when the object is (AES-GCM alone is not
 * key-committing: without the hash a miner could craft a ciphertext that opens to two updates and pick
 * one after seeing the evaluation seed).
 *
 *   sealed = "CRS1" ‖ version u8 (1) ‖ blake2b-256(key) (32) ‖ nonce (12) ‖ AES-256-GCM(key, nonce, update) ‖ tag (16)
 *   key    = 32 random bytes, stored as its own object after the deadline
 */
export const SEAL_MAGIC = Uint8Array.from(Buffer.from('CRS1'));
export const SEAL_VERSION = 1;
export const SEAL_KEY_BYTES = 32;
const HEADER = 4 + 1 + 32 + 12;
const TAG = 16;

export interface SealedUpdate {
  sealed: Uint8Array;
  key: Uint8Array;
}

function sealError(reason: string, message: string): CrucibleError {
  return new CrucibleError('WIRE_FORMAT', message, { details: { reason } });
}

export function sealUpdate(update: Uint8Array, key: Uint8Array = randomBytes(SEAL_KEY_BYTES)): SealedUpdate {
  if (key.length !== SEAL_KEY_BYTES) throw sealError('SEAL_KEY', `a seal key is ${SEAL_KEY_BYTES} bytes, got ${key.length}`);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(update), cipher.final(), cipher.getAuthTag()]);
  const sealed = new Uint8Array(HEADER + body.length);
  sealed.set(SEAL_MAGIC, 0);
  sealed[4] = SEAL_VERSION;
  sealed.set(blake2b256(key), 5);
  sealed.set(nonce, 37);
  sealed.set(body, HEADER);
  return { sealed, key: Uint8Array.from(key) };
}

/** The key hash a sealed object commits to (checked before anything else is trusted). */
export function sealedKeyHash(sealed: Uint8Array): Uint8Array {
  if (sealed.length < HEADER + TAG) throw sealError('TOO_SHORT', `a sealed update is at least ${HEADER + TAG} bytes, got ${sealed.length}`);
  if (!SEAL_MAGIC.every((b, i) => sealed[i] === b)) throw sealError('BAD_MAGIC', 'not a sealed Crucible update');
  if (sealed[4] !== SEAL_VERSION) throw sealError('VERSION', `sealed update version ${sealed[4]}; this build reads version ${SEAL_VERSION}`);
  return sealed.subarray(5, 37);
}

/** Opens a sealed update with its revealed key; WIRE_FORMAT with a reason for a wrong key or tampered bytes. */
export function openSealed(sealed: Uint8Array, key: Uint8Array): Uint8Array {
  const committed = sealedKeyHash(sealed);
  if (key.length !== SEAL_KEY_BYTES) throw sealError('SEAL_KEY', `a seal key is ${SEAL_KEY_BYTES} bytes, got ${key.length}`);
  const actual = blake2b256(key);
  if (!actual.every((b, i) => committed[i] === b)) throw sealError('SEAL_KEY', 'the revealed key is not the one the sealed update committed to');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(37, HEADER));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Uint8Array.from(Buffer.concat([decipher.update(sealed.subarray(HEADER, sealed.length - TAG)), decipher.final()]));
  } catch (cause) {
    throw new CrucibleError('WIRE_FORMAT', 'the sealed update does not authenticate under its committed key', { details: { reason: 'SEAL_TAMPERED' }, cause });
  }
}
