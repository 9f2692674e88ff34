import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { Keyring } from '@polkadot/keyring';

let keyring: Keyring | undefined;

/** A genesis account given as an SS58 address, 0x public key, or `//Alice`-style dev URI (sr25519). */
export function resolveGenesisAccount(who: string): Uint8Array {
  if (who.startsWith('//')) {
    keyring ??= new Keyring({ type: 'sr25519', ss58Format: 42 });
    return keyring.addFromUri(who).publicKey;
  }
  return decodeAddress(who);
}

export function ss58(who: Uint8Array): string {
  return encodeAddress(who, 42);
}
