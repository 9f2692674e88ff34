import { hexToU8a, u8aToHex } from '@polkadot/util';
import { mnemonicToMiniSecret, mnemonicValidate, sr25519PairFromSeed } from '@polkadot/util-crypto';
import { z } from 'zod';
import { CrucibleError } from '../errors.js';
import { keypairFromSecretKey, keypairFromUri, toAddress, verifySignature, type Keypair } from '../keys.js';

/**
 * btwallet's unencrypted keyfile JSON (every value a string). Loading priority, as btwallet's:
 * secretPhrase > secretSeed > privateKey > public fields only.
 */
const hex = (bytes: number) => z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `expected 0x + ${bytes} bytes of hex`);

export const keyfileSchema = z.object({
  accountId: hex(32).optional(),
  publicKey: hex(32).optional(),
  privateKey: hex(64).optional(),
  secretPhrase: z.string().min(1).optional(),
  secretSeed: hex(32).optional(),
  ss58Address: z.string().min(1).optional(),
});

export type KeyfileData = z.output<typeof keyfileSchema>;

export function parseKeyfileJson(text: string, file: string): KeyfileData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file} is not JSON`, { cause, details: { file } });
  }
  const parsed = keyfileSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file} is malformed: ${fields.join('; ')}`, { details: { file, fields } });
  }
  return parsed.data;
}

/** The address a keyfile claims, from whichever public field it has. */
export function claimedAddress(data: KeyfileData, file: string): string {
  const pub = data.publicKey ?? data.accountId;
  if (pub) return toAddress(hexToU8a(pub));
  if (data.ss58Address) {
    try {
      return toAddress(data.ss58Address);
    } catch (cause) {
      throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file} has an invalid ss58Address`, { cause, details: { file } });
    }
  }
  throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file} has no public key`, { details: { file } });
}

/** schnorrkel's canonical secret scalar → the ed25519-expanded form @polkadot's sr25519 uses (×8). */
function canonicalToExpanded(secret: Uint8Array): Uint8Array {
  const out = secret.slice();
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const v = (secret[i]! << 3) | carry;
    out[i] = v & 0xff;
    carry = v >> 8;
  }
  return out;
}

function matches(keypair: Keypair): boolean {
  const probe = new TextEncoder().encode('crucible keyfile check');
  return verifySignature(probe, keypair.sign(probe), keypair.publicKey);
}

/** A signing keypair from keyfile data; checks that it matches the public key the file claims. */
export function keypairFromKeyfile(data: KeyfileData, file: string): Keypair {
  let keypair: Keypair | undefined;
  if (data.secretPhrase) {
    if (!mnemonicValidate(data.secretPhrase)) throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file} has an invalid secretPhrase`, { details: { file } });
    keypair = keypairFromUri(data.secretPhrase);
  } else if (data.secretSeed) {
    keypair = keypairFromUri(data.secretSeed);
  } else if (data.privateKey) {
    const pub = data.publicKey ?? data.accountId;
    if (!pub) throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file} has a privateKey but no publicKey`, { details: { file } });
    const secret = hexToU8a(data.privateKey);
    const publicKey = hexToU8a(pub);
    for (const candidate of [secret, Uint8Array.from([...canonicalToExpanded(secret.subarray(0, 32)), ...secret.subarray(32)])]) {
      const kp = keypairFromSecretKey(candidate, publicKey);
      if (matches(kp)) {
        keypair = kp;
        break;
      }
    }
    if (!keypair) throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file}: privateKey does not match its publicKey`, { details: { file } });
  } else {
    throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file} holds no secret (public key only)`, { details: { file } });
  }
  const claimed = data.publicKey ?? data.accountId ?? data.ss58Address;
  if (claimed && claimedAddress(data, file) !== keypair.address) {
    throw new CrucibleError('WALLET_MALFORMED', `keyfile ${file}: its secret belongs to ${keypair.address}, not the ${claimedAddress(data, file)} it claims`, {
      details: { file },
    });
  }
  return keypair;
}

/** Keyfile JSON for a new key from a mnemonic, in btwallet's field layout. */
export function keyfileFromMnemonic(mnemonic: string): { full: KeyfileData; pub: KeyfileData } {
  const seed = mnemonicToMiniSecret(mnemonic);
  const pair = sr25519PairFromSeed(seed);
  const publicKey = u8aToHex(pair.publicKey);
  const ss58Address = toAddress(pair.publicKey);
  return {
    full: { accountId: publicKey, publicKey, privateKey: u8aToHex(pair.secretKey), secretPhrase: mnemonic, secretSeed: u8aToHex(seed), ss58Address },
    pub: { accountId: publicKey, publicKey, ss58Address },
  };
}
