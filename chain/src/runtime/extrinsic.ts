/**
 * Extrinsic format v4 as the reference runtime defines it:
 * `compact(len) ‖ version ‖ [MultiAddress ‖ MultiSignature ‖ extra] ‖ call` where extra is, in the
 * order of the signed extensions: Era (CheckMortality), Compact<u32> nonce (CheckNonce), Compact<u64>
 * tip (ChargeTransactionPayment), u8 mode (CheckMetadataHash); the other extensions add no bytes.
 */
import { blake2AsHex, blake2AsU8a } from '@polkadot/util-crypto';
import { compactFromU8a, u8aConcat } from '@polkadot/util';
import type { Codec } from '@polkadot/types/types';
import { invalidFormat } from './validity.js';

export type Era = { readonly kind: 'Immortal' } | { readonly kind: 'Mortal'; readonly period: number; readonly phase: number };

export type SignatureKind = 'Ed25519' | 'Sr25519' | 'Ecdsa';

export interface SignedPart {
  readonly signer: Uint8Array;
  readonly signatureKind: SignatureKind;
  readonly signature: Uint8Array;
  readonly era: Era;
  readonly nonce: number;
  readonly tip: bigint;
  /** CheckMetadataHash mode: 0 disabled, 1 enabled. */
  readonly metadataHashMode: number;
  /** The raw extra bytes (era ‖ nonce ‖ tip ‖ mode), part of the signing payload. */
  readonly extra: Uint8Array;
}

export interface ParsedExtrinsic {
  /** The whole extrinsic, with its length prefix (what blocks and the RPC carry). */
  readonly bytes: Uint8Array;
  /** blake2_256 of `bytes`, the transaction hash. */
  readonly hash: string;
  readonly signed: SignedPart | undefined;
  readonly callBytes: Uint8Array;
  readonly call: Codec;
}

/** Parses and decodes an extrinsic; throws a TransactionValidityError (invalid format) on malformed input. */
export function parseExtrinsic(bytes: Uint8Array, decodeCall: (b: Uint8Array) => Codec): ParsedExtrinsic {
  const r = new Reader(bytes);
  const declared = r.compact();
  if (BigInt(bytes.length - r.at) !== declared) throw invalidFormat('length prefix does not match the extrinsic');
  const version = r.u8();
  if ((version & 0x7f) !== 4) throw invalidFormat(`unsupported extrinsic version ${version & 0x7f}`);
  let signed: SignedPart | undefined;
  if ((version & 0x80) !== 0) {
    const addressKind = r.u8();
    if (addressKind !== 0) throw invalidFormat('only MultiAddress::Id signers are supported');
    const signer = r.take(32);
    const sigKind = r.u8();
    const signatureKind: SignatureKind = sigKind === 0 ? 'Ed25519' : sigKind === 1 ? 'Sr25519' : sigKind === 2 ? 'Ecdsa' : bad(`signature kind ${sigKind}`);
    const signature = r.take(signatureKind === 'Ecdsa' ? 65 : 64);
    const extraStart = r.at;
    const era = decodeEra(r);
    const nonce = r.compact();
    const tip = r.compact();
    const mode = r.u8();
    if (mode > 1) throw invalidFormat(`CheckMetadataHash mode ${mode}`);
    if (nonce > 0xffff_ffffn) throw invalidFormat('nonce does not fit u32');
    signed = { signer, signatureKind, signature, era, nonce: Number(nonce), tip, metadataHashMode: mode, extra: bytes.slice(extraStart, r.at) };
  }
  const callBytes = bytes.slice(r.at);
  let call: Codec;
  try {
    call = decodeCall(callBytes);
  } catch (e) {
    throw invalidFormat(`cannot decode call: ${(e as Error).message}`);
  }
  if (call.encodedLength !== callBytes.length) throw invalidFormat('trailing bytes after the call');
  return { bytes, hash: blake2AsHex(bytes, 256), signed, callBytes, call };
}

/** The payload the signer signed: `call ‖ extra ‖ additional`, hashed when longer than 256 bytes. */
export function signingPayload(callBytes: Uint8Array, extra: Uint8Array, additional: Uint8Array): Uint8Array {
  const payload = u8aConcat(callBytes, extra, additional);
  return payload.length > 256 ? blake2AsU8a(payload, 256) : payload;
}

/** The block number an era was born in, as seen from block `current` (sp_runtime::generic::Era::birth). */
export function eraBirth(era: Era, current: number): number {
  if (era.kind === 'Immortal') return 0;
  return Math.floor((Math.max(current, era.phase) - era.phase) / era.period) * era.period + era.phase;
}

function decodeEra(r: Reader): Era {
  const first = r.u8();
  if (first === 0) return { kind: 'Immortal' };
  const encoded = first + (r.u8() << 8);
  const period = 2 << (encoded % (1 << 4));
  const quantizeFactor = Math.max(period >> 12, 1);
  const phase = (encoded >> 4) * quantizeFactor;
  if (period < 4 || phase >= period) throw invalidFormat('invalid era');
  return { kind: 'Mortal', period, phase };
}

function bad(what: string): never {
  throw invalidFormat(what);
}

class Reader {
  at = 0;
  constructor(private readonly b: Uint8Array) {}

  u8(): number {
    const v = this.b[this.at];
    if (v === undefined) throw invalidFormat('unexpected end of extrinsic');
    this.at += 1;
    return v;
  }

  take(n: number): Uint8Array {
    if (this.at + n > this.b.length) throw invalidFormat('unexpected end of extrinsic');
    const out = this.b.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  compact(): bigint {
    if (this.at >= this.b.length) throw invalidFormat('unexpected end of extrinsic');
    const [len, value] = compactFromU8a(this.b.subarray(this.at));
    if (this.at + len > this.b.length) throw invalidFormat('unexpected end of extrinsic');
    this.at += len;
    return BigInt(value.toString());
  }
}
