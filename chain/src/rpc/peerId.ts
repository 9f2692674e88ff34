/**
 * The node's libp2p peer id, as `system_localPeerId` reports it: base58btc of the identity multihash
 * of the protobuf-encoded Ed25519 public key (`00 24 | 08 01 12 20 | key`), which is why every
 * Substrate peer id starts with "12D3KooW". The devnet has no networking; its key is derived from a
 * fixed seed so the id is valid and stable.
 */
import { u8aConcat } from '@polkadot/util';
import { base58Encode, blake2AsU8a, ed25519PairFromSeed } from '@polkadot/util-crypto';

const IDENTITY_MULTIHASH = Uint8Array.of(0x00, 0x24);
const ED25519_PUBLIC_KEY = Uint8Array.of(0x08, 0x01, 0x12, 0x20);

export function peerIdOf(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new Error('an Ed25519 public key has 32 bytes');
  return base58Encode(u8aConcat(IDENTITY_MULTIHASH, ED25519_PUBLIC_KEY, publicKey));
}

export function devnetPeerId(seed = 'crucible devnet node key'): string {
  return peerIdOf(ed25519PairFromSeed(blake2AsU8a(seed, 256)).publicKey);
}
