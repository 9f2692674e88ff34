import { beforeAll, describe, expect, it } from 'vitest';
import { blake2b256, cryptoReady, keypairFromUri, toHex } from '@crucible/core';
import type { Keypair } from '@crucible/core';
import { z } from 'zod';
import { parseCodecConfig } from './config.js';
import { compressTensor, decompressTensor } from './compress.js';
import type { CompressedTensor } from './compress.js';
import { decodeSignedEnvelope, encodeSignedEnvelope } from './envelope.js';
import { decodeGradient, encodeGradient, maxGradientBytes } from './gradientWire.js';
import type { DecodeGradientOptions } from './gradientWire.js';
import { seededRandom } from './random.js';

const config = parseCodecConfig({ tileSize: 4, chunkSize: 8, topK: 3 });
const params = [
  { name: 'w', shape: [8, 10] },
  { name: 'b', shape: [5] },
];
const base = toHex(new Uint8Array(32).fill(7));
let alice: Keypair;
let bob: Keypair;
let tensors: CompressedTensor[];

beforeAll(async () => {
  await cryptoReady();
  alice = keypairFromUri('//Alice');
  bob = keypairFromUri('//Bob');
  const rng = seededRandom(21);
  tensors = params.map((p) => compressTensor(p.name, p.shape, rng.normals(p.shape.reduce((a, b) => a * b, 1)), config));
});

const encode = (over: Partial<Parameters<typeof encodeGradient>[0]> = {}) =>
  encodeGradient({ window: 12, baseCheckpoint: base, config, tensors, signer: alice, ...over });

function reason(bytes: Uint8Array, options: Partial<DecodeGradientOptions> = {}): string {
  try {
    decodeGradient(bytes, { params, ...options });
    return 'accepted';
  } catch (e) {
    const err = e as { code?: string; details?: { reason?: string } };
    return `${err.code}:${err.details?.reason}`;
  }
}

describe('gradient wire format', () => {
  it('round-trips header and tensors exactly', () => {
    const decoded = decodeGradient(encode(), { params, hotkey: alice.address, window: 12, baseCheckpoint: base, codec: config });
    expect(decoded.header).toMatchObject({ window: 12, hotkey: alice.address, baseCheckpoint: base });
    expect(decoded.tensors.map((t) => t.name)).toEqual(['w', 'b']);
    decoded.tensors.forEach((t, i) => {
      expect(t.indices).toEqual(tensors[i]!.indices);
      expect(t.codes).toEqual(tensors[i]!.codes);
      expect(t.lut).toEqual(tensors[i]!.lut);
      expect(decompressTensor(t, decoded.config)).toEqual(decompressTensor(tensors[i]!, config));
    });
  });

  it('refuses any altered byte, a foreign signature and the wrong signer', () => {
    const bytes = encode();
    const flipped = bytes.slice();
    flipped[bytes.length - 80]! ^= 1;
    expect(reason(flipped)).toBe('WIRE_FORMAT:SIGNATURE_INVALID');
    expect(reason(bytes, { hotkey: bob.address })).toBe('WIRE_FORMAT:SIGNER_MISMATCH');
    // Bob signs Alice's header and body with his own key: the header still names Alice.
    const resigned = bytes.slice();
    resigned.set(bob.publicKey, 6);
    resigned.set(bob.sign(blake2b256(resigned.subarray(0, resigned.length - 64))), resigned.length - 64);
    expect(reason(resigned)).toBe('WIRE_FORMAT:SIGNER_MISMATCH');
  });

  it('names a version mismatch the way an operator can act on it', () => {
    const bytes = encode();
    bytes[5] = 2;
    expect(() => decodeGradient(bytes, { params })).toThrow('producer wrote v2, this reads v1');
  });

  it('bounds the size of an honest artifact from the table and codec alone', () => {
    const bytes = encode();
    expect(bytes.length).toBeLessThanOrEqual(maxGradientBytes(params, config));
    const padded = new Uint8Array(maxGradientBytes(params, config) + 1);
    padded.set(bytes);
    expect(reason(padded, { codec: config })).toBe('WIRE_FORMAT:TOO_LARGE');
  });

  it('checks size, shapes, context and codec parameters', () => {
    const bytes = encode();
    expect(reason(bytes, { maxBytes: 100 })).toBe('WIRE_FORMAT:TOO_LARGE');
    expect(reason(bytes, { params: [params[0]!, { name: 'b', shape: [6] }] })).toBe('WIRE_FORMAT:PARAMS_MISMATCH');
    expect(reason(bytes, { params: [params[0]!] })).toBe('WIRE_FORMAT:PARAMS_MISMATCH');
    expect(reason(bytes, { window: 13 })).toBe('WIRE_FORMAT:CONTEXT_MISMATCH');
    expect(reason(bytes, { baseCheckpoint: toHex(new Uint8Array(32)) })).toBe('WIRE_FORMAT:CONTEXT_MISMATCH');
    expect(reason(bytes, { codec: { ...config, topK: 4 } })).toBe('WIRE_FORMAT:CODEC_MISMATCH');
    expect(reason(bytes.subarray(0, 30))).toBe('WIRE_FORMAT:TOO_SHORT');
    expect(reason(new Uint8Array(200))).toBe('WIRE_FORMAT:BAD_MAGIC');
  });

  it('refuses signed artifacts with non-finite values or indices outside their chunk', () => {
    const nan = tensors.map((t, i) => (i === 1 ? { ...t, shift: Number.NaN } : t));
    expect(reason(encode({ tensors: nan }))).toBe('WIRE_FORMAT:NON_FINITE');
    const inf = tensors.map((t, i) => (i === 0 ? { ...t, lut: Float32Array.of(0, Infinity, 0, 0) } : t));
    expect(reason(encode({ tensors: inf }))).toBe('WIRE_FORMAT:NON_FINITE');
    const far = tensors.map((t, i) => (i === 1 ? { ...t, indices: Uint16Array.of(9) } : t));
    expect(reason(encode({ tensors: far }))).toBe('WIRE_FORMAT:INDEX_OUT_OF_RANGE');
  });

  it('refuses a header that fails its schema, after checking the signature', () => {
    const bad = encodeSignedEnvelope({ kind: 'gradient', version: 1, header: { window: -1 }, body: new Uint8Array(0), signer: alice });
    expect(reason(bad)).toBe('WIRE_FORMAT:HEADER_INVALID');
  });
});

describe('signed envelope', () => {
  const manifest = z.object({ window: z.number().int(), files: z.array(z.string()) }).strict();

  it('carries checkpoint manifests under their own kind', () => {
    const bytes = encodeSignedEnvelope({
      kind: 'checkpointManifest',
      version: 3,
      header: { window: 9, files: ['model.bin'] },
      body: Uint8Array.of(1, 2, 3),
      signer: bob,
    });
    const env = decodeSignedEnvelope(bytes, { kind: 'checkpointManifest', version: 3, header: manifest, signer: bob.address });
    expect(env.header).toEqual({ window: 9, files: ['model.bin'] });
    expect([...env.body]).toEqual([1, 2, 3]);
    expect(env.signer).toBe(bob.address);
    expect(reason(bytes)).toBe('WIRE_FORMAT:WRONG_KIND');
  });
});
