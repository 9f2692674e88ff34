/**
 * Substrate's base-16 Patricia-Merkle trie root (sp-trie, no extension nodes, blake2-256), used for
 * header state roots (state version 1: values of 33 bytes or more are stored as their hash) and
 * extrinsics roots (version 0, keys = SCALE compact index).
 *
 * Node encoding: header (node kind + partial-key nibble count) ‖ partial key (odd count: first
 * nibble alone in the low half of a byte) ‖ [branch: u16 LE child bitmap] ‖ [value: compact length ‖
 * bytes, or its 32-byte hash] ‖ [branch: each child as compact length ‖ (node if < 32 bytes, else its
 * hash)]. The root is the hash of the root node; an empty trie's root is blake2-256(0x00).
 */
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

export type TrieVersion = 0 | 1;

interface Entry {
  readonly nibbles: Uint8Array;
  readonly value: Uint8Array;
}

/** Values at least this long are stored as their hash in version 1 tries. */
const HASHED_VALUE_THRESHOLD = 33;

/** Root of the trie holding `entries` (any order; keys must be unique). */
export function trieRoot(entries: ReadonlyArray<readonly [Uint8Array, Uint8Array]>, version: TrieVersion): Uint8Array {
  if (entries.length === 0) return blake2AsU8a(Uint8Array.of(0), 256);
  const sorted = entries.map(([k, v]) => ({ nibbles: toNibbles(k), value: v })).sort((a, b) => compareNibbles(a.nibbles, b.nibbles));
  return blake2AsU8a(encodeNode(sorted, 0, sorted.length, 0, version), 256);
}

/** Root of an ordered list (extrinsics): keys are SCALE compact indices, version 0. */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  return trieRoot(
    values.map((v, i) => [compactToU8a(i), v] as const),
    0,
  );
}

/** The root node's encoding (unhashed), for tests against sp-trie's codec vectors. */
export function rootNodeEncoding(entries: ReadonlyArray<readonly [Uint8Array, Uint8Array]>, version: TrieVersion): Uint8Array {
  if (entries.length === 0) return Uint8Array.of(0);
  const sorted = entries.map(([k, v]) => ({ nibbles: toNibbles(k), value: v })).sort((a, b) => compareNibbles(a.nibbles, b.nibbles));
  return encodeNode(sorted, 0, sorted.length, 0, version);
}

/** Encodes the node for entries[start, end), which share their first `depth` nibbles. */
function encodeNode(entries: readonly Entry[], start: number, end: number, depth: number, version: TrieVersion): Uint8Array {
  const first = entries[start] as Entry;
  if (end - start === 1) {
    return leaf(first.nibbles.subarray(depth), first.value, version);
  }
  const last = entries[end - 1] as Entry;
  let d = depth;
  while (d < first.nibbles.length && d < last.nibbles.length && first.nibbles[d] === last.nibbles[d]) d++;
  const partial = first.nibbles.subarray(depth, d);
  let value: Uint8Array | undefined;
  let i = start;
  if (first.nibbles.length === d) {
    value = first.value;
    i++;
  }
  const children: Uint8Array[] = [];
  let bitmap = 0;
  while (i < end) {
    const nibble = (entries[i] as Entry).nibbles[d] as number;
    let j = i + 1;
    while (j < end && (entries[j] as Entry).nibbles[d] === nibble) j++;
    const child = encodeNode(entries, i, j, d + 1, version);
    const ref = child.length >= 32 ? blake2AsU8a(child, 256) : child;
    children.push(compactToU8a(ref.length), ref);
    bitmap |= 1 << nibble;
    i = j;
  }
  const hashed = value !== undefined && version === 1 && value.length >= HASHED_VALUE_THRESHOLD;
  const head =
    value === undefined ? header(0b1000_0000, 6, partial.length) : hashed ? header(0b0001_0000, 4, partial.length) : header(0b1100_0000, 6, partial.length);
  return u8aConcat(head, packNibbles(partial), Uint8Array.of(bitmap & 0xff, bitmap >> 8), value === undefined ? new Uint8Array() : encodeValue(value, hashed), ...children);
}

function leaf(partial: Uint8Array, value: Uint8Array, version: TrieVersion): Uint8Array {
  const hashed = version === 1 && value.length >= HASHED_VALUE_THRESHOLD;
  const head = hashed ? header(0b0010_0000, 5, partial.length) : header(0b0100_0000, 6, partial.length);
  return u8aConcat(head, packNibbles(partial), encodeValue(value, hashed));
}

function encodeValue(value: Uint8Array, hashed: boolean): Uint8Array {
  return hashed ? blake2AsU8a(value, 256) : u8aConcat(compactToU8a(value.length), value);
}

/** Node kind in the high bits, nibble count in the `bits` low bits, continued in extra bytes (sp-trie). */
function header(prefix: number, bits: number, nibbleCount: number): Uint8Array {
  const max = (1 << bits) - 1;
  if (nibbleCount < max) return Uint8Array.of(prefix | nibbleCount);
  const out = [prefix | max];
  let rem = nibbleCount - (max - 1);
  while (rem > 0) {
    if (rem < 256) {
      out.push(rem - 1);
      rem = 0;
    } else {
      out.push(255);
      rem -= 255;
    }
  }
  return Uint8Array.from(out);
}

function packNibbles(nibbles: Uint8Array): Uint8Array {
  const odd = nibbles.length % 2;
  const out = new Uint8Array(odd + (nibbles.length - odd) / 2);
  let at = 0;
  if (odd === 1) out[at++] = nibbles[0] as number;
  for (let i = odd; i < nibbles.length; i += 2) out[at++] = ((nibbles[i] as number) << 4) | (nibbles[i + 1] as number);
  return out;
}

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  key.forEach((b, i) => {
    out[2 * i] = b >> 4;
    out[2 * i + 1] = b & 0x0f;
  });
  return out;
}

function compareNibbles(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
