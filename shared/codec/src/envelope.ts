import { inflateRawSync, deflateRawSync } from 'node:zlib';
import { blake2b256, toAddress } from '@crucible/core';
import { sr25519Verify } from '@polkadot/util-crypto';
import type { Keypair } from '@crucible/core';
import type { z } from 'zod';
import { wireError } from './wireError.js';

/**
 * The signed envelope shared by every Crucible artifact (gradients, checkpoint manifests). Layout,
 * integers little-endian:
 *
 *   off  size  field
 *   0    4     magic "CRCB"
 *   4    1     kind (1 gradient, 2 checkpoint manifest)
 *   5    1     format version of that kind
 *   6    32    signer's sr25519 public key
 *   38   4     H = header length
 *   42   4     B = body length
 *   46   H     header: UTF-8 JSON, raw-deflated (parameter names repeat, so this shrinks it ~5×)
 *   46+H B     body
 *   end-64 64  sr25519 signature by the signer over blake2b-256 of every byte before it
 *
 * The signer key sits in the fixed prefix so the signature is checked before the header is inflated
 * or parsed: nothing unsigned is ever interpreted.
 */
export const ENVELOPE_MAGIC = Uint8Array.of(0x43, 0x52, 0x43, 0x42);
export const envelopeKinds = { gradient: 1, checkpointManifest: 2 } as const;
export type EnvelopeKind = keyof typeof envelopeKinds;

const PREFIX = 46;
const SIGNATURE = 64;
export const DEFAULT_MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;

export interface SignedEnvelopeInput {
  readonly kind: EnvelopeKind;
  readonly version: number;
  readonly header: unknown;
  readonly body: Uint8Array;
  readonly signer: Keypair;
}

export function encodeSignedEnvelope(input: SignedEnvelopeInput): Uint8Array {
  const header = deflateRawSync(Buffer.from(JSON.stringify(input.header), 'utf8'), { level: 9 });
  const total = PREFIX + header.length + input.body.length + SIGNATURE;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(ENVELOPE_MAGIC, 0);
  out[4] = envelopeKinds[input.kind];
  out[5] = input.version;
  out.set(input.signer.publicKey, 6);
  view.setUint32(38, header.length, true);
  view.setUint32(42, input.body.length, true);
  out.set(header, PREFIX);
  out.set(input.body, PREFIX + header.length);
  const signed = out.subarray(0, total - SIGNATURE);
  out.set(input.signer.sign(blake2b256(signed)), total - SIGNATURE);
  return out;
}

export interface DecodeEnvelopeOptions<T> {
  readonly kind: EnvelopeKind;
  readonly version: number;
  /** Validates the parsed header; a failure is HEADER_INVALID. */
  readonly header: z.ZodType<T>;
  readonly maxBytes?: number;
  readonly maxHeaderBytes?: number;
  /** When given, the envelope must be signed by this ss58 address. */
  readonly signer?: string;
}

export interface SignedEnvelope<T> {
  readonly kind: EnvelopeKind;
  readonly version: number;
  /** ss58 address of the key that signed it (signature already verified). */
  readonly signer: string;
  readonly header: T;
  readonly body: Uint8Array;
}

/**
 * Checks, in order: size limits, magic, kind, version, that the lengths add up, the expected signer,
 * the signature, and only then inflates and validates the header. Throws WIRE_FORMAT with
 * details.reason from wireErrorReasons. Call `cryptoReady()` once before.
 */
export function decodeSignedEnvelope<T>(bytes: Uint8Array, options: DecodeEnvelopeOptions<T>): SignedEnvelope<T> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ENVELOPE_BYTES;
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.length < PREFIX + SIGNATURE) {
    throw wireError('TOO_SHORT', `${bytes.length} bytes is shorter than an envelope`, { bytes: bytes.length });
  }
  if (bytes.length > maxBytes) {
    throw wireError('TOO_LARGE', `${bytes.length} bytes exceeds the ${maxBytes}-byte limit`, { bytes: bytes.length, maxBytes });
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== ENVELOPE_MAGIC[i]) throw wireError('BAD_MAGIC', 'not a Crucible envelope (bad magic)');
  }
  const kind = bytes[4]!;
  if (kind !== envelopeKinds[options.kind]) {
    throw wireError('WRONG_KIND', `envelope kind ${kind} is not ${options.kind} (${envelopeKinds[options.kind]})`, {
      kind,
      expected: envelopeKinds[options.kind],
    });
  }
  const version = bytes[5]!;
  if (version !== options.version) {
    throw wireError('VERSION_MISMATCH', `producer wrote v${version}, this reads v${options.version}`, {
      version,
      expected: options.version,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(38, true);
  const bodyLength = view.getUint32(42, true);
  if (PREFIX + headerLength + bodyLength + SIGNATURE !== bytes.length) {
    throw wireError('LENGTH_MISMATCH', 'header and body lengths do not add up to the envelope size', {
      headerLength,
      bodyLength,
      bytes: bytes.length,
    });
  }
  const publicKey = bytes.subarray(6, 38);
  let signer: string;
  try {
    signer = toAddress(publicKey);
  } catch (cause) {
    throw wireError('SIGNATURE_INVALID', 'signer key is not a valid public key', {}, cause);
  }
  if (options.signer !== undefined && options.signer !== signer) {
    throw wireError('SIGNER_MISMATCH', `signed by ${signer}, expected ${options.signer}`, { signer, expected: options.signer });
  }
  const signedEnd = bytes.length - SIGNATURE;
  const digest = blake2b256(bytes.subarray(0, signedEnd));
  if (!verifySr25519(digest, bytes.subarray(signedEnd), publicKey)) {
    throw wireError('SIGNATURE_INVALID', `signature does not verify for ${signer}`, { signer });
  }
  let json: string;
  try {
    json = inflateRawSync(bytes.subarray(PREFIX, PREFIX + headerLength), { maxOutputLength: maxHeaderBytes }).toString('utf8');
  } catch (cause) {
    const tooLarge = (cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw wireError(tooLarge ? 'TOO_LARGE' : 'HEADER_MALFORMED', tooLarge ? `header inflates past ${maxHeaderBytes} bytes` : 'header does not inflate', { maxHeaderBytes }, cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw wireError('HEADER_MALFORMED', 'header is not JSON', {}, cause);
  }
  const result = options.header.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw wireError('HEADER_INVALID', `header: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`, {
      issues: result.error.issues.slice(0, 5).map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  return {
    kind: options.kind,
    version,
    signer,
    header: result.data,
    body: bytes.subarray(PREFIX + headerLength, signedEnd),
  };
}

/**
 * Strictly sr25519, the scheme of every hotkey. core's verifySignature also tries ed25519 and ECDSA
 * recovery, which costs ~6 ms per forged blob and would accept a non-sr25519 signature.
 */
function verifySr25519(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sr25519Verify(message, signature, publicKey);
  } catch {
    return false;
  }
}
