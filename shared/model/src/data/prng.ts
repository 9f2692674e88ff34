import { blake2b256, CrucibleError } from '@crucible/core';

/** A seed: bytes, a UTF-8 string, or a non-negative safe integer (encoded as its decimal string). */
export type PrngSeed = Uint8Array | string | number;

const PRNG_DOMAIN = new TextEncoder().encode('crucible-prng-v1\0');

/** The canonical bytes of a seed: strings as UTF-8, integers as their decimal digits (so 42 ≡ "42"). */
export function seedBytes(seed: PrngSeed): Uint8Array {
  if (seed instanceof Uint8Array) return seed;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new CrucibleError('DATA', `a numeric seed must be a non-negative safe integer, got ${seed}`);
    return new TextEncoder().encode(String(seed));
  }
  return new TextEncoder().encode(seed);
}

/**
 * xoshiro128** (Blackman & Vigna), a 32-bit generator with 128 bits of state: fast in JavaScript
 * (Math.imul only), platform-independent, and reproducible by any party from the same seed.
 *
 * Seeding (createPrng): state words s0..s3 = the first 16 bytes, read as four little-endian u32, of
 * blake2b-256("crucible-prng-v1\0" ‖ seedBytes(seed)); an all-zero state (probability 2⁻¹²⁸) becomes
 * s0 = 1.
 */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  /** Starts from raw state words (for known-answer tests and reference implementations). */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits (two outputs: the high 27 and high 26 bits). */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * Uniform integer in [0, n) for 1 ≤ n ≤ 2³², without modulo bias: draw x until x < n·⌊2³²/n⌋, return x mod n.
   */
  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > 4294967296) throw new CrucibleError('INTERNAL', `nextInt bound must be in [1, 2^32], got ${n}`);
    const limit = Math.floor(4294967296 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /**
   * Standard normal by the Box–Muller transform: u1 = 1 − nextFloat() ∈ (0, 1], u2 = nextFloat(),
   * r = sqrt(−2 ln u1); returns r·cos(2π u2), and on the next call r·sin(2π u2) from the same pair.
   */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    const u1 = 1 - this.nextFloat();
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Fills `out` in index order with mean + std·normal() (e.g. weight init N(0, 0.02)). */
  fillNormal(out: Float32Array, std: number, mean = 0): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }
}

/** A generator seeded as documented on Prng. */
export function createPrng(seed: PrngSeed): Prng {
  const bytes = seedBytes(seed);
  const input = new Uint8Array(PRNG_DOMAIN.length + bytes.length);
  input.set(PRNG_DOMAIN);
  input.set(bytes, PRNG_DOMAIN.length);
  const digest = blake2b256(input);
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  return new Prng(view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true));
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
