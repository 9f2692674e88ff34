import { isValidAddress } from '@crucible/core';
import type { Keypair } from '@crucible/core';
import { z } from 'zod';
import type { CodecConfig } from './config.js';
import type { CompressedTensor } from './compress.js';
import { decodeSignedEnvelope, encodeSignedEnvelope } from './envelope.js';
import type { ParamSpec } from './errorFeedback.js';
import { sharedChunkLayout } from './layout.js';
import type { ChunkLayout } from './layout.js';
import { bestRiceParameter, decodeIndices, encodeIndices, MAX_RICE_PARAMETER, packCodes, unpackCodes } from './rice.js';
import { wireError } from './wireError.js';

/**
 * Version 1 of the gradient artifact. The body is, for each parameter in header order:
 *   u8 Rice parameter r (0…16) · f32 shift · f32 lut[2^bits] · indexBytes of Rice-coded chunk-local
 *   indices · ⌈K·bits/8⌉ bytes of codes packed LSB-first,
 * where K (values per parameter) follows from the shape and codec parameters alone (see chunkLayout).
 */
export const GRADIENT_FORMAT_VERSION = 1;

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'expected 0x + 64 lowercase hex digits');

export const wireCodecSchema = z
  .object({
    tileSize: z.number().int().min(1).max(256),
    chunkSize: z.number().int().min(1).max(65_536),
    topK: z.number().int().min(1).max(65_536),
    bits: z.number().int().min(1).max(8),
    range: z.number().finite().positive().max(1000),
  })
  .strict();

export const gradientHeaderSchema = z
  .object({
    window: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    hotkey: z.string().max(64).refine(isValidAddress, 'not an ss58 address'),
    baseCheckpoint: hex32,
    codec: wireCodecSchema,
    params: z
      .array(
        z
          .object({
            name: z.string().min(1).max(256),
            shape: z.array(z.number().int().min(0).max(2 ** 31 - 1)).max(8),
            indexBytes: z.number().int().min(0).max(2 ** 31 - 1),
          })
          .strict(),
      )
      .max(100_000),
  })
  .strict();

export type GradientHeader = z.infer<typeof gradientHeaderSchema>;

export interface EncodeGradientInput {
  readonly window: number;
  /** blake2b-256 of the checkpoint the update was computed against, 0x-hex. */
  readonly baseCheckpoint: string;
  readonly config: CodecConfig;
  readonly tensors: readonly CompressedTensor[];
  /** The miner's hotkey; its address goes in the header and it signs the whole artifact. */
  readonly signer: Keypair;
}

export function encodeGradient(input: EncodeGradientInput): Uint8Array {
  const { config } = input;
  const bins = 1 << config.bits;
  const sections: Uint8Array[] = [];
  const params: GradientHeader['params'] = [];
  for (const t of input.tensors) {
    const layout = sharedChunkLayout(t.shape, config);
    const r = bestRiceParameter(t.indices, layout);
    const indexBytes = encodeIndices(t.indices, layout, r);
    const quant = new Uint8Array(1 + 4 * (1 + bins));
    const view = new DataView(quant.buffer);
    quant[0] = r;
    view.setFloat32(1, t.shift, true);
    for (let b = 0; b < bins; b++) view.setFloat32(5 + 4 * b, t.lut[b]!, true);
    sections.push(quant, indexBytes, packCodes(t.codes, config.bits));
    params.push({ name: t.name, shape: [...t.shape], indexBytes: indexBytes.length });
  }
  const body = concat(sections);
  const header: GradientHeader = {
    window: input.window,
    hotkey: input.signer.address,
    baseCheckpoint: input.baseCheckpoint,
    codec: { tileSize: config.tileSize, chunkSize: config.chunkSize, topK: config.topK, bits: config.bits, range: config.range },
    params,
  };
  return encodeSignedEnvelope({ kind: 'gradient', version: GRADIENT_FORMAT_VERSION, header, body, signer: input.signer });
}

export interface DecodeGradientOptions {
  /** The parameter table the receiver expects, in order; names and shapes must match exactly. */
  readonly params: readonly ParamSpec[];
  /** Size limit; default maxGradientBytes(params, codec) when `codec` is given, else 64 MiB. */
  readonly maxBytes?: number;
  /** When given, each must match the artifact (CONTEXT_MISMATCH, or SIGNER_MISMATCH for the hotkey). */
  readonly hotkey?: string;
  readonly window?: number;
  readonly baseCheckpoint?: string;
  /** When given, the artifact's codec parameters must equal these (CODEC_MISMATCH). */
  readonly codec?: CodecConfig;
}

export interface DecodedGradient {
  readonly header: GradientHeader;
  /** Codec parameters the artifact was written with (beta is the sender's and not sent). */
  readonly config: CodecConfig;
  readonly tensors: readonly CompressedTensor[];
}

/**
 * The largest artifact an honest sender can produce for this table and codec: the chosen Rice
 * parameter is never worse than r = ⌈log₂ chunk⌉ (all quotients 0, 1 + r bits per index), and the
 * header is bounded by its fields. decodeGradient uses it as the size limit when `codec` is given.
 */
export function maxGradientBytes(params: readonly ParamSpec[], codec: CodecConfig): number {
  const bins = 1 << codec.bits;
  let body = 0;
  let header = 1024;
  for (const p of params) {
    const layout = sharedChunkLayout(p.shape, codec);
    const r = Math.ceil(Math.log2(Math.max(2, layout.maxLength)));
    body += 1 + 4 * (1 + bins) + Math.ceil((layout.totalK * (1 + r)) / 8) + Math.ceil((layout.totalK * codec.bits) / 8);
    header += p.name.length * 2 + 96 + 16 * p.shape.length;
  }
  // Deflate can expand incompressible input by a few bytes per block.
  return 46 + header + Math.ceil(header / 1000) + 64 + body + 64;
}

export function decodeGradient(bytes: Uint8Array, options: DecodeGradientOptions): DecodedGradient {
  const maxBytes = options.maxBytes ?? (options.codec === undefined ? undefined : maxGradientBytes(options.params, options.codec));
  const envelope = decodeSignedEnvelope(bytes, {
    kind: 'gradient',
    version: GRADIENT_FORMAT_VERSION,
    header: gradientHeaderSchema,
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(options.hotkey === undefined ? {} : { signer: options.hotkey }),
  });
  const { header, body } = envelope;
  if (header.hotkey !== envelope.signer) {
    throw wireError('SIGNER_MISMATCH', `header names ${header.hotkey} but ${envelope.signer} signed it`, {
      hotkey: header.hotkey,
      signer: envelope.signer,
    });
  }
  if (options.window !== undefined && header.window !== options.window) {
    throw wireError('CONTEXT_MISMATCH', `artifact is for window ${header.window}, expected ${options.window}`, {
      field: 'window',
      got: header.window,
      expected: options.window,
    });
  }
  if (options.baseCheckpoint !== undefined && header.baseCheckpoint !== options.baseCheckpoint) {
    throw wireError('CONTEXT_MISMATCH', 'artifact was computed against another checkpoint', {
      field: 'baseCheckpoint',
      got: header.baseCheckpoint,
      expected: options.baseCheckpoint,
    });
  }
  const config: CodecConfig = { ...header.codec, beta: options.codec?.beta ?? 0 };
  if (options.codec !== undefined) {
    for (const key of ['tileSize', 'chunkSize', 'topK', 'bits', 'range'] as const) {
      if (header.codec[key] !== options.codec[key]) {
        throw wireError('CODEC_MISMATCH', `artifact uses ${key} = ${header.codec[key]}, expected ${options.codec[key]}`, {
          field: key,
          got: header.codec[key],
          expected: options.codec[key],
        });
      }
    }
  }
  if (config.topK > config.tileSize * config.tileSize || config.topK > config.chunkSize) {
    throw wireError('HEADER_INVALID', 'header: codec.topK exceeds a full chunk');
  }
  checkParams(header.params, options.params);
  // Every chunk costs at least two bits (one index, one value), so a header that implies more chunks
  // than the body could hold is refused before any per-chunk table is allocated.
  let chunks = 0;
  for (const p of header.params) chunks += chunkCount(p.shape, config);
  if (chunks > body.length * 4) {
    throw wireError('LENGTH_MISMATCH', `${chunks} chunks cannot fit in a ${body.length}-byte body`, { chunks, bodyLength: body.length });
  }
  const bins = 1 << config.bits;
  const quantBytes = 1 + 4 * (1 + bins);
  const layouts: ChunkLayout[] = [];
  let expected = 0;
  for (const p of header.params) {
    const layout = sharedChunkLayout(p.shape, config);
    layouts.push(layout);
    expected += quantBytes + p.indexBytes + Math.ceil((layout.totalK * config.bits) / 8);
  }
  if (expected !== body.length) {
    throw wireError('LENGTH_MISMATCH', `body is ${body.length} bytes, the header describes ${expected}`, {
      bodyLength: body.length,
      expected,
    });
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const tensors: CompressedTensor[] = [];
  let at = 0;
  header.params.forEach((p, i) => {
    const layout = layouts[i]!;
    const r = body[at]!;
    if (r > MAX_RICE_PARAMETER) {
      throw wireError('BODY_MALFORMED', `parameter ${p.name}: Rice parameter ${r} exceeds ${MAX_RICE_PARAMETER}`, { param: p.name });
    }
    const shift = view.getFloat32(at + 1, true);
    const lut = new Float32Array(bins);
    for (let b = 0; b < bins; b++) lut[b] = view.getFloat32(at + 5 + 4 * b, true);
    if (!Number.isFinite(shift) || !lut.every(Number.isFinite)) {
      throw wireError('NON_FINITE', `parameter ${p.name}: non-finite quantisation parameters`, { param: p.name });
    }
    at += quantBytes;
    const indices = decodeIndices(body.subarray(at, at + p.indexBytes), layout, r, p.name);
    at += p.indexBytes;
    const valueBytes = Math.ceil((layout.totalK * config.bits) / 8);
    const codes = unpackCodes(body.subarray(at, at + valueBytes), layout.totalK, config.bits, p.name);
    at += valueBytes;
    tensors.push({ name: p.name, shape: p.shape, indices, codes, shift, lut });
  });
  return { header, config, tensors };
}

function checkParams(got: GradientHeader['params'], expected: readonly ParamSpec[]): void {
  if (got.length !== expected.length) {
    throw wireError('PARAMS_MISMATCH', `artifact has ${got.length} parameters, expected ${expected.length}`, {
      got: got.length,
      expected: expected.length,
    });
  }
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    const same = g.name === e.name && g.shape.length === e.shape.length && g.shape.every((d, k) => d === e.shape[k]);
    if (!same) {
      throw wireError('PARAMS_MISMATCH', `parameter ${i} is ${g.name} [${g.shape.join(', ')}], expected ${e.name} [${e.shape.join(', ')}]`, {
        index: i,
        got: { name: g.name, shape: g.shape },
        expected: { name: e.name, shape: [...e.shape] },
      });
    }
  }
}

function chunkCount(shape: readonly number[], config: CodecConfig): number {
  let numel = 1;
  for (const d of shape) numel *= d;
  if (numel === 0) return 0;
  if (shape.length === 2) return Math.ceil(shape[0]! / config.tileSize) * Math.ceil(shape[1]! / config.tileSize);
  return Math.ceil(numel / config.chunkSize);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
