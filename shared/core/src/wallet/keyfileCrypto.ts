import { createRequire } from 'node:module';
import { CrucibleError } from '../errors.js';

/**
 * btwallet's `$NACL` keyfile encryption: "$NACL" ‖ 24-byte nonce ‖ XSalsa20-Poly1305 secretbox of the
 * keyfile JSON, keyed by Argon2i v1.3 of the password with a fixed salt and libsodium's SENSITIVE limits
 * (opslimit 8, memlimit 512 MiB), so a file written by btcli opens here and the reverse. Deriving the key
 * takes seconds on purpose.
 */
const NACL_PREFIX = new TextEncoder().encode('$NACL');
const BTWALLET_SALT = Uint8Array.from([0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1]);
const OPSLIMIT = 8;
const MEMLIMIT = 512 * 1024 * 1024;

interface Sodium {
  ready: Promise<void>;
  crypto_pwhash(len: number, password: string | Uint8Array, salt: Uint8Array, ops: number, mem: number, alg: number): Uint8Array;
  crypto_pwhash_ALG_ARGON2I13: number;
  crypto_secretbox_easy(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  crypto_secretbox_open_easy(cipher: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  randombytes_buf(length: number): Uint8Array;
}

let sodium: Promise<Sodium> | undefined;

function loadSodium(): Promise<Sodium> {
  // The package's ESM build points at a file it doesn't ship; its CommonJS build works.
  sodium ??= (async () => {
    const s = createRequire(import.meta.url)('libsodium-wrappers-sumo') as Sodium;
    await s.ready;
    return s;
  })();
  return sodium;
}

export type KeyfileEncryption = 'none' | 'nacl' | 'ansible-vault' | 'fernet';

export function detectEncryption(bytes: Uint8Array): KeyfileEncryption {
  const head = new TextDecoder().decode(bytes.subarray(0, 16));
  if (head.startsWith('$NACL')) return 'nacl';
  if (head.startsWith('$ANSIBLE_VAULT')) return 'ansible-vault';
  if (head.startsWith('gAAAAA')) return 'fernet';
  return 'none';
}

async function deriveKey(password: string): Promise<{ s: Sodium; key: Uint8Array }> {
  const s = await loadSodium();
  return { s, key: s.crypto_pwhash(32, password, BTWALLET_SALT, OPSLIMIT, MEMLIMIT, s.crypto_pwhash_ALG_ARGON2I13) };
}

export async function encryptKeyfile(plaintext: Uint8Array, password: string): Promise<Uint8Array> {
  const { s, key } = await deriveKey(password);
  const nonce = s.randombytes_buf(24);
  const box = s.crypto_secretbox_easy(plaintext, nonce, key);
  const out = new Uint8Array(NACL_PREFIX.length + nonce.length + box.length);
  out.set(NACL_PREFIX, 0);
  out.set(nonce, NACL_PREFIX.length);
  out.set(box, NACL_PREFIX.length + nonce.length);
  return out;
}

export async function decryptKeyfile(bytes: Uint8Array, password: string, file: string): Promise<Uint8Array> {
  if (bytes.length < NACL_PREFIX.length + 24 + 16) {
    throw new CrucibleError('WALLET_MALFORMED', `encrypted keyfile ${file} is truncated`, { details: { file, bytes: bytes.length } });
  }
  const { s, key } = await deriveKey(password);
  const nonce = bytes.subarray(NACL_PREFIX.length, NACL_PREFIX.length + 24);
  try {
    return s.crypto_secretbox_open_easy(bytes.subarray(NACL_PREFIX.length + 24), nonce, key);
  } catch (cause) {
    throw new CrucibleError('WALLET_PASSWORD_WRONG', `wrong password for ${file} (or the file is corrupted)`, { cause, details: { file } });
  }
}
