/**
 * Block headers and bodies as Substrate encodes them: the header is
 * `parentHash ‖ compact(number) ‖ stateRoot ‖ extrinsicsRoot ‖ Vec<DigestItem>` and its hash is
 * blake2-256 of that encoding, the same hash @polkadot/api computes from the header JSON.
 */
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { orderedTrieRoot, trieRoot } from './trieRoot.js';

export interface Header {
  readonly parentHash: Uint8Array;
  readonly number: number;
  readonly stateRoot: Uint8Array;
  readonly extrinsicsRoot: Uint8Array;
  /** Encoded DigestItems. */
  readonly digest: readonly Uint8Array[];
}

export interface Block {
  readonly header: Header;
  readonly hash: Uint8Array;
  readonly hashHex: string;
  /** Encoded extrinsics, each with its length prefix, exactly as submitted. */
  readonly extrinsics: readonly Uint8Array[];
}

export function encodeHeader(h: Header): Uint8Array {
  return u8aConcat(h.parentHash, compactToU8a(h.number), h.stateRoot, h.extrinsicsRoot, compactToU8a(h.digest.length), ...h.digest);
}

export function makeBlock(header: Header, extrinsics: readonly Uint8Array[]): Block {
  const hash = blake2AsU8a(encodeHeader(header), 256);
  return { header, hash, hashHex: u8aToHex(hash), extrinsics };
}

/** The header as the JSON-RPC returns it. */
export function headerJson(h: Header): Record<string, unknown> {
  return {
    parentHash: u8aToHex(h.parentHash),
    number: '0x' + h.number.toString(16),
    stateRoot: u8aToHex(h.stateRoot),
    extrinsicsRoot: u8aToHex(h.extrinsicsRoot),
    digest: { logs: h.digest.map((d) => u8aToHex(d)) },
  };
}

export function blockJson(b: Block): Record<string, unknown> {
  return { block: { header: headerJson(b.header), extrinsics: b.extrinsics.map((x) => u8aToHex(x)) }, justifications: null };
}

/** Extrinsics root: the ordered trie root (version 0) of the encoded extrinsics, as frame_system. */
export function extrinsicsRoot(extrinsics: readonly Uint8Array[]): Uint8Array {
  return orderedTrieRoot(extrinsics);
}

/** State root: the trie root (state version 1) of every key/value pair. */
export function stateRoot(entries: Iterable<readonly [string, Uint8Array]>): Uint8Array {
  const pairs: Array<readonly [Uint8Array, Uint8Array]> = [];
  for (const [k, v] of entries) pairs.push([Buffer.from(k.slice(2), 'hex'), v]);
  return trieRoot(pairs, 1);
}
