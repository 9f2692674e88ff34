import { blake2b256, CrucibleError } from '@crucible/core';

/** One field of a derived seed: a string (UTF-8) or a non-negative safe integer. */
export type SeedPart = string | number | Uint8Array;

/**
 * A 32-byte seed that any party can recompute: blake2b-256 over the UTF-8 domain tag followed by every
 * part, each encoded without ambiguity:
 *   domain:  u32 byte length ‖ UTF-8
 *   string:  0x01 ‖ u32 byte length ‖ UTF-8
 *   integer: 0x02 ‖ u64 (non-negative safe integer)
 *   bytes:   0x03 ‖ u32 byte length ‖ bytes
 * (all integers little-endian).
 */
export function deriveSeed(domain: string, ...parts: readonly SeedPart[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  };
  const d = enc.encode(domain);
  chunks.push(u32(d.length), d);
  for (const part of parts) {
    if (typeof part === 'number') {
      if (!Number.isSafeInteger(part) || part < 0) throw new CrucibleError('DATA', `seed integer must be a non-negative safe integer, got ${part}`);
      const b = new Uint8Array(9);
      b[0] = 2;
      new DataView(b.buffer).setBigUint64(1, BigInt(part), true);
      chunks.push(b);
    } else if (typeof part === 'string') {
      const s = enc.encode(part);
      chunks.push(Uint8Array.of(1), u32(s.length), s);
    } else {
      chunks.push(Uint8Array.of(3), u32(part.length), part);
    }
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const input = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    input.set(c, p);
    p += c.length;
  }
  return blake2b256(input);
}
