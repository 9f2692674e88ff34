import type { ChunkLayout } from './layout.js';
import { wireError } from './wireError.js';

/**
 * Sorted chunk-local indices coded as Rice codes of their gaps. Within each chunk the gap of an index
 * is d = index − previous − 1 (previous = −1 at a chunk's start), written as ⌊d / 2^r⌋ one-bits, a
 * zero bit, then the low r bits of d, least significant bit first. One parameter r per tensor, chosen
 * to minimise the exact bit count. For k = 64 of 4096 the gaps are near-geometric with mean ≈ 63 and
 * r = 5 costs ≈ 7.5 bits per index (the entropy limit is 7.36, Templar's fixed width 12).
 */
export const MAX_RICE_PARAMETER = 16;

export function riceBits(indices: Uint16Array, layout: ChunkLayout, r: number): number {
  let bits = indices.length * (1 + r);
  for (let j = 0; j < layout.chunks; j++) {
    let prev = -1;
    const end = layout.kOffset[j + 1]!;
    for (let p = layout.kOffset[j]!; p < end; p++) {
      const i = indices[p]!;
      bits += (i - prev - 1) >>> r;
      prev = i;
    }
  }
  return bits;
}

export function bestRiceParameter(indices: Uint16Array, layout: ChunkLayout): number {
  let best = 0;
  let bestBits = Infinity;
  for (let r = 0; r <= MAX_RICE_PARAMETER; r++) {
    const bits = riceBits(indices, layout, r);
    if (bits < bestBits) {
      bestBits = bits;
      best = r;
    }
  }
  return best;
}

export function encodeIndices(indices: Uint16Array, layout: ChunkLayout, r: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(riceBits(indices, layout, r) / 8));
  let acc = 0;
  let nacc = 0;
  let pos = 0;
  const mask = (1 << r) - 1;
  for (let j = 0; j < layout.chunks; j++) {
    let prev = -1;
    const end = layout.kOffset[j + 1]!;
    for (let p = layout.kOffset[j]!; p < end; p++) {
      const i = indices[p]!;
      const d = i - prev - 1;
      prev = i;
      let q = d >>> r;
      // Unary quotient, at most 8 bits per step so acc stays within 31 bits.
      while (q > 0) {
        const n = q > 8 ? 8 : q;
        acc |= ((1 << n) - 1) << nacc;
        nacc += n;
        q -= n;
        while (nacc >= 8) {
          out[pos++] = acc & 255;
          acc >>>= 8;
          nacc -= 8;
        }
      }
      nacc += 1; // the terminating zero bit
      if (r > 0) {
        acc |= (d & mask) << nacc;
        nacc += r;
      }
      while (nacc >= 8) {
        out[pos++] = acc & 255;
        acc >>>= 8;
        nacc -= 8;
      }
    }
  }
  if (nacc > 0) out[pos++] = acc & 255;
  return out;
}

/**
 * Decodes exactly layout.totalK indices from untrusted bytes. Every index is checked to stay inside its
 * chunk while it is read (so no unary run can be longer than the chunk), the stream must be used up to
 * its last byte, and padding bits must be zero.
 */
export function decodeIndices(bytes: Uint8Array, layout: ChunkLayout, r: number, name: string): Uint16Array {
  const out = new Uint16Array(layout.totalK);
  const totalBits = bytes.length * 8;
  let bit = 0;
  for (let j = 0; j < layout.chunks; j++) {
    const len = layout.length[j]!;
    let prev = -1;
    const end = layout.kOffset[j + 1]!;
    for (let p = layout.kOffset[j]!; p < end; p++) {
      const maxQ = (len - 2 - prev) >> r; // largest quotient that keeps index ≤ len − 1
      let q = 0;
      for (;;) {
        if (bit >= totalBits) throw truncated(name);
        const b = (bytes[bit >>> 3]! >>> (bit & 7)) & 1;
        bit++;
        if (b === 0) break;
        if (++q > maxQ) throw outOfRange(name, j);
      }
      let rem = 0;
      if (r > 0) {
        if (bit + r > totalBits) throw truncated(name);
        const at = bit >>> 3;
        const word = bytes[at]! | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);
        rem = (word >>> (bit & 7)) & ((1 << r) - 1);
        bit += r;
      }
      const index = prev + 1 + q * (1 << r) + rem;
      if (index >= len) throw outOfRange(name, j);
      out[p] = index;
      prev = index;
    }
  }
  checkTail(bytes, bit, name, 'indices');
  return out;
}

export function packCodes(codes: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((codes.length * bits) / 8));
  if (bits === 2) {
    const n = codes.length;
    for (let i = 0; i < n; i++) out[i >>> 2]! |= codes[i]! << ((i & 3) << 1);
    return out;
  }
  let acc = 0;
  let nacc = 0;
  let pos = 0;
  for (let i = 0; i < codes.length; i++) {
    acc |= codes[i]! << nacc;
    nacc += bits;
    while (nacc >= 8) {
      out[pos++] = acc & 255;
      acc >>>= 8;
      nacc -= 8;
    }
  }
  if (nacc > 0) out[pos] = acc & 255;
  return out;
}

/** Unpacks `count` codes; the byte length must be exactly ⌈count·bits/8⌉ and the padding zero. */
export function unpackCodes(bytes: Uint8Array, count: number, bits: number, name: string): Uint8Array {
  if (bytes.length !== Math.ceil((count * bits) / 8)) {
    throw wireError('BODY_MALFORMED', `parameter ${name}: value section has the wrong length`, { param: name });
  }
  const out = new Uint8Array(count);
  const mask = (1 << bits) - 1;
  let bit = 0;
  for (let i = 0; i < count; i++, bit += bits) {
    const at = bit >>> 3;
    const word = bytes[at]! | ((bytes[at + 1] ?? 0) << 8);
    out[i] = (word >>> (bit & 7)) & mask;
  }
  checkTail(bytes, bit, name, 'values');
  return out;
}

function checkTail(bytes: Uint8Array, bit: number, name: string, section: string): void {
  if (Math.ceil(bit / 8) !== bytes.length) {
    throw wireError('BODY_MALFORMED', `parameter ${name}: ${section} section has trailing bytes`, { param: name });
  }
  if ((bit & 7) !== 0 && bytes[bytes.length - 1]! >>> (bit & 7) !== 0) {
    throw wireError('BODY_MALFORMED', `parameter ${name}: ${section} section has non-zero padding`, { param: name });
  }
}

function truncated(name: string) {
  return wireError('BODY_MALFORMED', `parameter ${name}: index stream ends early`, { param: name });
}

function outOfRange(name: string, chunk: number) {
  return wireError('INDEX_OUT_OF_RANGE', `parameter ${name}: an index falls outside chunk ${chunk}`, { param: name, chunk });
}
