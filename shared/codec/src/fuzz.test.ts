import { beforeAll, describe, expect, it } from 'vitest';
import { blake2b256, cryptoReady, isCrucibleError, keypairFromUri, toHex } from '@crucible/core';
import type { Keypair } from '@crucible/core';
import { parseCodecConfig } from './config.js';
import { compressTensor } from './compress.js';
import type { CompressedTensor } from './compress.js';
import { decodeSignedEnvelope, encodeSignedEnvelope } from './envelope.js';
import { decodeGradient, encodeGradient, gradientHeaderSchema } from './gradientWire.js';
import type { DecodedGradient, GradientHeader } from './gradientWire.js';
import { chunkLayout } from './layout.js';
import { seededRandom } from './random.js';
import type { Random } from './random.js';
import { wireErrorReasons } from './wireError.js';

// A tiny parameter table keeps every decode cheap; the seed makes every failure reproducible.
const SEED = 0xc0dec;
const config = parseCodecConfig({ tileSize: 4, chunkSize: 8, topK: 3 });
const params = [
  { name: 'w', shape: [8, 10] },
  { name: 'b', shape: [5] },
];
const base = toHex(new Uint8Array(32).fill(1));
let alice: Keypair;
let bob: Keypair;
let valid: Uint8Array;
let tensors: CompressedTensor[];
let validHeader: GradientHeader;
let validBody: Uint8Array;

beforeAll(async () => {
  await cryptoReady();
  alice = keypairFromUri('//Alice');
  bob = keypairFromUri('//Bob');
  const rng = seededRandom(SEED);
  tensors = params.map((p) => compressTensor(p.name, p.shape, rng.normals(p.shape.reduce((a, b) => a * b, 1)), config));
  valid = encodeGradient({ window: 5, baseCheckpoint: base, config, tensors, signer: alice });
  const env = decodeSignedEnvelope(valid, { kind: 'gradient', version: 1, header: gradientHeaderSchema });
  validHeader = env.header;
  validBody = env.body.slice();
});

type Outcome = { accepted: DecodedGradient } | { reason: string };

function decode(bytes: Uint8Array): Outcome {
  try {
    return { accepted: decodeGradient(bytes, { params, maxBytes: 4096 }) };
  } catch (e) {
    // Anything but a typed WIRE_FORMAT error (a TypeError, a RangeError...) is a crash.
    if (!isCrucibleError(e, 'WIRE_FORMAT')) throw e;
    const reason = String(e.details.reason);
    expect(wireErrorReasons).toContain(reason);
    return { reason };
  }
}

/** Everything the decoder hands out must be safe to use without further checks. */
function expectWellFormed(d: DecodedGradient): void {
  d.tensors.forEach((t, i) => {
    const layout = chunkLayout(params[i]!.shape, d.config);
    expect(t.indices.length).toBe(layout.totalK);
    for (let j = 0; j < layout.chunks; j++) {
      let prev = -1;
      for (let p = layout.kOffset[j]!; p < layout.kOffset[j + 1]!; p++) {
        expect(t.indices[p]!).toBeGreaterThan(prev);
        expect(t.indices[p]!).toBeLessThan(layout.length[j]!);
        prev = t.indices[p]!;
      }
    }
    expect(t.codes.every((c) => c < t.lut.length)).toBe(true);
    expect(Number.isFinite(t.shift) && t.lut.every(Number.isFinite)).toBe(true);
  });
}

function mutate(rng: Random, src: Uint8Array): Uint8Array {
  const b = src.slice();
  // Distinct bytes, so two flips never cancel out into the original.
  const flips = 1 + rng.int(3);
  const at = new Set<number>();
  while (at.size < flips) at.add(rng.int(b.length));
  for (const i of at) b[i]! ^= 1 << rng.int(8);
  return b;
}

function resign(bytes: Uint8Array, signer: Keypair): Uint8Array {
  const b = bytes.slice();
  b.set(signer.publicKey, 6);
  b.set(signer.sign(blake2b256(b.subarray(0, b.length - 64))), b.length - 64);
  return b;
}

/** A structurally hostile header, signed by a real key: huge counts, wrong shapes, odd codecs. */
function hostileHeader(rng: Random, hotkey: string): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const num = () => pick([0, 1, 3, -1, 2 ** 31, 2 ** 53, 1e308, 0.5, Number.MAX_SAFE_INTEGER, rng.int(100)]);
  const header: GradientHeader = {
    window: 5,
    hotkey,
    baseCheckpoint: base,
    codec: { tileSize: 4, chunkSize: 8, topK: 3, bits: 2, range: 6 },
    params: params.map((p) => ({ name: p.name, shape: [...p.shape], indexBytes: 4 + rng.int(8) })),
  };
  const h = header as unknown as Record<string, unknown> & { codec: Record<string, unknown>; params: Record<string, unknown>[] };
  switch (rng.int(8)) {
    case 0:
      h.codec[pick(['tileSize', 'chunkSize', 'topK', 'bits', 'range'])] = num();
      break;
    case 1:
      h.params[rng.int(2)]!.indexBytes = num();
      break;
    case 2:
      h.params[rng.int(2)]!.shape = [num(), num()];
      break;
    case 3:
      h.params = Array.from({ length: rng.int(5) }, () => ({ name: 'w', shape: [8, 10], indexBytes: num() }));
      break;
    case 4:
      h.window = pick([-1, 1.5, 'x', null, 2 ** 60]);
      break;
    case 5:
      h.extra = 1;
      break;
    case 6:
      h.codec.topK = 17;
      break;
    default:
      h.hotkey = pick([bob.address, 'not-an-address', '']);
  }
  return h;
}

function hostileBody(rng: Random): Uint8Array {
  const n = rng.int(120);
  const body = new Uint8Array(n);
  for (let i = 0; i < n; i++) body[i] = rng.int(256);
  // Sometimes plant NaN / Infinity where the quantisation parameters sit.
  if (n >= 5 && rng.int(2) === 0) new DataView(body.buffer).setFloat32(1, rng.int(2) === 0 ? Number.NaN : Infinity, true);
  return body;
}

/** The valid body with a planted NaN/Infinity, or a few random bytes overwritten. */
function corruptBody(rng: Random): Uint8Array {
  const body = validBody.slice();
  if (rng.int(2) === 0) {
    const at = rng.int(2) === 0 ? 1 : 1 + 4 * rng.int(5); // shift or a lut entry of the first tensor
    new DataView(body.buffer).setFloat32(at, [Number.NaN, Infinity, -Infinity][rng.int(3)]!, true);
  } else {
    for (let n = 1 + rng.int(3); n > 0; n--) body[rng.int(body.length)] = rng.int(256);
  }
  return body;
}

describe('gradient decoder under fuzzing', () => {
  // Signature checks dominate the run time (sr25519 verification in WASM), so the corpus is weighted
  // towards blobs the cheap checks refuse; ~2,000 of them still reach the signature check.
  it('survives 10,000+ random, truncated, flipped, re-signed and hostile blobs and accepts nothing altered', () => {
    const rng = seededRandom(SEED);
    const reasons = new Map<string, number>();
    const refused = (o: Outcome, what: string) => {
      if ('accepted' in o) throw new Error(`accepted ${what}`);
      reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
    };
    let cases = 0;
    // Unsigned or altered: every one must be refused.
    for (let i = 0; i < 4000; i++, cases++) {
      const junk = new Uint8Array(rng.int(400));
      for (let k = 0; k < junk.length; k++) junk[k] = rng.int(256);
      if (rng.int(2) === 0 && junk.length >= 4) junk.set(valid.subarray(0, Math.min(46, junk.length)));
      refused(decode(junk), 'random bytes');
    }
    for (let i = 0; i < 3000; i++, cases++) refused(decode(valid.subarray(0, rng.int(valid.length))), 'a truncation');
    for (let i = 0; i < 1200; i++, cases++) refused(decode(mutate(rng, valid)), 'a bit flip');
    for (let i = 0; i < 1000; i++, cases++) {
      const longer = new Uint8Array(valid.length + 1 + rng.int(16));
      longer.set(valid);
      refused(decode(longer), 'trailing bytes');
    }
    for (let i = 0; i < 100; i++, cases++) {
      // Another hotkey's valid signature over Alice's artifact, or over a flipped one.
      const b = resign(i % 2 === 0 ? valid : mutate(rng, valid), bob);
      refused(decode(b), "another hotkey's signature");
      // The same bytes with only Bob's signature pasted in (key still Alice's).
      const pasted = valid.slice();
      pasted.set(b.subarray(b.length - 64), pasted.length - 64);
      refused(decode(pasted), 'a pasted signature');
    }
    cases += 100;
    // Signed by their own (valid) key but hostile inside: refused, or accepted only when well-formed.
    for (let i = 0; i < 600; i++, cases++) {
      const signer = rng.int(2) === 0 ? alice : bob;
      const header = hostileHeader(rng, signer.address);
      const mode = rng.int(4);
      const blob =
        mode === 0
          ? resign(mutate(rng, valid), signer)
          : mode === 1
            ? encodeSignedEnvelope({ kind: 'gradient', version: 1, header: { ...validHeader, hotkey: signer.address }, body: corruptBody(rng), signer })
            : encodeSignedEnvelope({ kind: 'gradient', version: 1, header, body: hostileBody(rng), signer });
      const o = decode(blob);
      if ('accepted' in o) {
        expect(o.accepted.header.hotkey).toBe(signer.address);
        expectWellFormed(o.accepted);
      } else reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
    }
    expect(cases).toBeGreaterThanOrEqual(10_000);
    // The corpus reaches the deep checks, not only the cheap ones.
    for (const r of ['TOO_SHORT', 'BAD_MAGIC', 'LENGTH_MISMATCH', 'SIGNATURE_INVALID', 'SIGNER_MISMATCH', 'HEADER_INVALID', 'PARAMS_MISMATCH', 'BODY_MALFORMED', 'NON_FINITE']) {
      expect(reasons.get(r) ?? 0, r).toBeGreaterThan(0);
    }
  });
});
