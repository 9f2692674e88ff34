import { CrucibleError } from '@crucible/core';
import { decodeToFloat32, dtypeBytes, float32Bytes, isReadableDtype, isSafetensorsDtype } from './dtype.js';
import type { ReadableDtype } from './dtype.js';

/** A float32 tensor in row-major order. */
export interface TensorF32 {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A decoded tensor, remembering which dtype the file stored it as. */
export interface DecodedTensor extends TensorF32 {
  readonly storedDtype: ReadableDtype;
}

export interface DecodedSafetensors {
  /** Tensors by name, in name order (UTF-8 byte order). */
  tensors: Map<string, DecodedTensor>;
  /** The `__metadata__` string map ({} when absent). */
  metadata: Record<string, string>;
}

export interface DecodeOptions {
  /** Largest accepted JSON header, in bytes. Default 100,000,000 (the limit of the reference Rust reader). */
  maxHeaderBytes?: number;
}

export type TensorInput = ReadonlyMap<string, TensorF32> | Readonly<Record<string, TensorF32>>;

const DEFAULT_MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const utf8 = new TextEncoder();

const SURROGATE = /[\uD800-\uDFFF]/;

/** Orders strings by their UTF-8 bytes (= code points), the order the Rust implementation sorts names in. */
export function compareNames(a: string, b: string): number {
  // Without surrogates, UTF-16 unit order is code point order: no need to encode (names are sorted on every save).
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function entriesOf(tensors: TensorInput): [string, TensorF32][] {
  const list = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors as Record<string, TensorF32>);
  return list.sort(([a], [b]) => compareNames(a, b));
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Serialises float32 tensors as safetensors, as PyTorch/HF write it: an 8-byte little-endian header
 * length, a compact JSON header (`__metadata__` first, then tensors in name order with F32 dtype, shape
 * and data_offsets relative to the data section), padded with spaces to a multiple of 8 bytes so every
 * tensor starts 8-byte aligned, then the raw little-endian data back to back in the same order.
 */
export function encodeSafetensors(tensors: TensorInput, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const parts = encodeSafetensorsParts(tensors, metadata);
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}

/**
 * The bytes of encodeSafetensors as parts to be written one after the other (a file writer's writev):
 * the padded header, then each tensor's data. On a little-endian host the data parts are views of the
 * tensors' own arrays, not copies, so writing megabytes of state costs no allocation; they show the
 * arrays as they are when written, so write them before the arrays change.
 */
export function encodeSafetensorsParts(tensors: TensorInput, metadata: Readonly<Record<string, string>> = {}): Uint8Array[] {
  const entries = entriesOf(tensors);
  // Null prototype: a tensor named "__proto__" must become a key, not a prototype change.
  const header = Object.create(null) as Record<string, unknown>;
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === METADATA_KEY) throw new CrucibleError('CHECKPOINT_INVALID', `tensor name ${METADATA_KEY} is reserved`);
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new CrucibleError('CHECKPOINT_INVALID', `tensor ${name} has invalid dimension ${d}`);
    }
    if (elementCount(t.shape) !== t.data.length) {
      throw new CrucibleError('CHECKPOINT_INVALID', `tensor ${name}: shape [${t.shape.join(',')}] does not match ${t.data.length} values`);
    }
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new CrucibleError('CHECKPOINT_INVALID', `metadata ${key} must be a string`);
  }
  const json = utf8.encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(8 + headerLength);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerLength), true);
  head.set(json, 8);
  head.fill(0x20, 8 + json.length);
  return [head, ...entries.map(([, t]) => float32Bytes(t.data))];
}

function invalid(message: string, details: Record<string, unknown> = {}): never {
  throw new CrucibleError('CHECKPOINT_INVALID', `safetensors: ${message}`, { details });
}

interface HeaderEntry {
  name: string;
  dtype: ReadableDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, raw: unknown): HeaderEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(`entry ${name} is not an object`);
  const keys = Object.keys(raw).sort();
  if (keys.join(',') !== 'data_offsets,dtype,shape') invalid(`entry ${name} must have exactly dtype, shape, data_offsets`, { keys });
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) invalid(`entry ${name} has unknown dtype ${String(dtype)}`);
  if (!isReadableDtype(dtype)) invalid(`entry ${name} has dtype ${dtype}; only F32, F16 and BF16 are read`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    invalid(`entry ${name} has an invalid shape`, { shape });
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    invalid(`entry ${name} has invalid data_offsets`, { offsets });
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) invalid(`entry ${name} has data_offsets with end before begin`, { begin, end });
  let count = 1;
  for (const d of shape as number[]) {
    count *= d;
    if (!Number.isSafeInteger(count)) invalid(`entry ${name} has a shape too large`, { shape });
  }
  if (count * dtypeBytes[dtype] !== end - begin) {
    invalid(`entry ${name}: ${dtype} shape [${(shape as number[]).join(',')}] needs ${count * dtypeBytes[dtype]} bytes, offsets span ${end - begin}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * Parses and strictly validates a safetensors file from an untrusted source: header length within the
 * limit and the file, the header valid UTF-8 JSON starting with '{', `__metadata__` a string map, every
 * entry with a known dtype, non-negative integer shape and offsets whose span equals the shape's byte
 * size, entries contiguous from 0 with no gap or overlap and ending exactly at the end of the file.
 * Any violation throws CrucibleError('CHECKPOINT_INVALID') naming the problem. Tensors are copied out
 * and converted to float32.
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): DecodedSafetensors {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.length < 8) invalid(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const headerLength64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength64 > BigInt(maxHeaderBytes)) invalid(`header length ${headerLength64} exceeds the limit ${maxHeaderBytes}`);
  const headerLength = Number(headerLength64);
  if (8 + headerLength > bytes.length) invalid(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch (cause) {
    throw new CrucibleError('CHECKPOINT_INVALID', 'safetensors: header is not valid UTF-8', { cause });
  }
  if (!text.startsWith('{')) invalid('header does not start with {');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (cause) {
    throw new CrucibleError('CHECKPOINT_INVALID', 'safetensors: header is not valid JSON', { cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) invalid('header is not a JSON object');

  // Collected as pairs and built with Object.fromEntries, so a key like "__proto__" stays an own entry.
  const metadataPairs: [string, string][] = [];
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('__metadata__ is not an object');
      for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== 'string') invalid(`__metadata__.${key} is not a string`);
        metadataPairs.push([key, value]);
      }
      continue;
    }
    entries.push(parseEntry(name, raw));
  }

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of byOffset) {
    if (e.begin < expected) invalid(`tensor ${e.name} overlaps the previous tensor`, { begin: e.begin, previousEnd: expected });
    if (e.begin > expected) invalid(`gap before tensor ${e.name}`, { begin: e.begin, previousEnd: expected });
    expected = e.end;
  }
  if (expected !== dataLength) invalid(`tensors cover ${expected} data bytes but the file has ${dataLength}`);

  const tensors = new Map<string, DecodedTensor>();
  for (const e of entries.sort((a, b) => compareNames(a.name, b.name))) {
    const count = (e.end - e.begin) / dtypeBytes[e.dtype];
    const data = decodeToFloat32(bytes, dataStart + e.begin, count, e.dtype);
    tensors.set(e.name, { shape: e.shape, data, storedDtype: e.dtype });
  }
  return { tensors, metadata: Object.fromEntries(metadataPairs) };
}
