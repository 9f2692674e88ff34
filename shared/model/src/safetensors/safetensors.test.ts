import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCrucibleError } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { checkpointMetadata, configFromMetadata } from './checkpointMetadata.js';
import { halfToFloat } from './dtype.js';
import { compareNames, decodeSafetensors, encodeSafetensors, encodeSafetensorsParts } from './safetensors.js';
import { readSafetensorsFile, writeSafetensorsFile } from './safetensorsFile.js';

/** Builds a file by hand: 8-byte LE header length, the header text (padded as given), then data. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), declaredLength?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function f32(...values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

function expectInvalid(bytes: Uint8Array, message: RegExp): void {
  let caught: unknown;
  try {
    decodeSafetensors(bytes);
  } catch (e) {
    caught = e;
  }
  expect(isCrucibleError(caught, 'CHECKPOINT_INVALID'), String(caught)).toBe(true);
  expect((caught as Error).message).toMatch(message);
}

describe('encodeSafetensors', () => {
  it('writes the byte layout PyTorch/HF write (compact header, metadata first, names sorted, space padding)', () => {
    const bytes = encodeSafetensors({ b: { shape: [1], data: new Float32Array([2]) }, a: { shape: [2], data: new Float32Array([1, -1]) } }, { format: 'pt' });
    const header = '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
    const padded = header + ' '.repeat((8 - (header.length % 8)) % 8);
    expect(Buffer.from(bytes)).toEqual(Buffer.from(rawFile(padded, new Uint8Array([...f32(1, -1), ...f32(2)]))));
    expect((8 + padded.length) % 8).toBe(0);
  });

  it('refuses data that does not match its shape', () => {
    expect(() => encodeSafetensors({ a: { shape: [3], data: new Float32Array(2) } })).toThrow(/does not match/);
    expect(() => encodeSafetensorsParts({ a: { shape: [3], data: new Float32Array(2) } })).toThrow(/does not match/);
  });

  it('gives the same bytes as parts: the header, then views of the tensors\' own arrays in name order', () => {
    const a = new Float32Array([1, -1]);
    const b = new Float32Array([2, 3, 4]);
    const tensors = { b: { shape: [3], data: b }, a: { shape: [2], data: a } };
    const parts = encodeSafetensorsParts(tensors, { kind: 'x' });
    expect(Buffer.concat(parts)).toEqual(Buffer.from(encodeSafetensors(tensors, { kind: 'x' })));
    expect(parts.slice(1).map((p) => p.buffer)).toEqual([a.buffer, b.buffer]);
    a[0] = 5; // a view shows later changes, which is why callers write parts before changing the arrays
    expect(decodeSafetensors(Buffer.concat(parts)).tensors.get('a')!.data[0]).toBe(5);
  });
});

describe('compareNames', () => {
  it('orders by UTF-8 bytes, also where UTF-16 order differs (astral characters after U+FFFD)', () => {
    expect(['b', 'a.2', 'a.10', 'A', ''].sort(compareNames)).toEqual(['', 'A', 'a.10', 'a.2', 'b']);
    expect(compareNames('\uFFFD', '\u{1F600}')).toBe(-1);
    expect(compareNames('\u{1F600}', '\uFFFD')).toBe(1);
    expect(compareNames('x\u{1F600}', 'x\u{1F600}')).toBe(0);
  });
});

describe('decodeSafetensors', () => {
  it('round-trips tensors, shapes, metadata and exact float32 values', () => {
    const w = new Float32Array([0.1, -2.5, 3e-38, Infinity, -0, 7]);
    const tensors = new Map([
      ['h.0.attn.c_attn.weight', { shape: [2, 3], data: w }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
      ['ln_f.bias', { shape: [1], data: new Float32Array([NaN]) }],
    ]);
    const decoded = decodeSafetensors(encodeSafetensors(tensors, checkpointMetadata({ nLayer: 2, nEmbd: 8 })));
    expect([...decoded.tensors.keys()]).toEqual(['empty', 'h.0.attn.c_attn.weight', 'ln_f.bias']);
    expect(decoded.tensors.get('h.0.attn.c_attn.weight')).toEqual({ shape: [2, 3], data: w, storedDtype: 'F32' });
    expect(decoded.tensors.get('empty')!.shape).toEqual([0, 4]);
    expect(Number.isNaN(decoded.tensors.get('ln_f.bias')!.data[0])).toBe(true);
    expect(configFromMetadata(decoded.metadata)).toEqual({ nLayer: 2, nEmbd: 8 });
    expect(decoded.metadata.format).toBe('pt');
  });

  it('accepts unpadded headers, any key order and extra whitespace, and unaligned data', () => {
    const header = ' {"x": {"shape": [2], "data_offsets": [4, 12], "dtype": "F32"},\n "y": {"dtype":"F32","shape":[],"data_offsets":[0,4]}}';
    // A header must start with '{' (leading whitespace is rejected, as by the Rust reader).
    expectInvalid(rawFile(header, new Uint8Array(12)), /does not start with \{/);
    const ok = rawFile(header.trimStart() + '  ', new Uint8Array([...f32(9), ...f32(1, 2)]));
    const decoded = decodeSafetensors(ok);
    expect(Array.from(decoded.tensors.get('x')!.data)).toEqual([1, 2]);
    expect(decoded.tensors.get('y')).toEqual({ shape: [], data: new Float32Array([9]), storedDtype: 'F32' });
  });

  it('keeps a "__proto__" metadata key as an ordinary entry', () => {
    const decoded = decodeSafetensors(rawFile('{"__metadata__":{"__proto__":"x","a":"b"}}'));
    expect(Object.keys(decoded.metadata)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(decoded.metadata)).toBe(Object.prototype);
    const odd = decodeSafetensors(encodeSafetensors(new Map([['__proto__', { shape: [1], data: new Float32Array([5]) }]])));
    expect(Array.from(odd.tensors.get('__proto__')!.data)).toEqual([5]);
  });

  it('converts F16 and BF16 to float32', () => {
    const half = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7c00]).buffer); // 1, -2, 2^-24, inf
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xbfc0]).buffer); // 1, -1.5
    const file = rawFile(
      '{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}}',
      new Uint8Array([...half, ...bf16]),
    );
    const decoded = decodeSafetensors(file);
    expect(Array.from(decoded.tensors.get('h')!.data)).toEqual([1, -2, 2 ** -24, Infinity]);
    expect(decoded.tensors.get('h')!.storedDtype).toBe('F16');
    expect(Array.from(decoded.tensors.get('b')!.data)).toEqual([1, -1.5]);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
  });

  describe('rejects malformed or hostile files with CHECKPOINT_INVALID', () => {
    const entry = (dtype: string, shape: string, offsets: string) => `{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}`;
    const cases: [string, Uint8Array, RegExp][] = [
      ['too short', new Uint8Array(5), /shorter than the 8-byte header length/],
      ['header length beyond the limit', rawFile('{}', new Uint8Array(0), 200_000_000n), /exceeds the limit/],
      ['header length past the end', rawFile('{}', new Uint8Array(0), 64n), /runs past the end/],
      ['header not JSON', rawFile('{"a":', new Uint8Array(0)), /not valid JSON/],
      ['header not UTF-8', (() => { const f = rawFile('{"\u00e9":1}'); f[10] = 0xff; return f; })(), /not valid UTF-8/],
      ['header a JSON array', rawFile('[1]'), /does not start with/],
      ['metadata value not a string', rawFile('{"__metadata__":{"n":1}}'), /__metadata__.n is not a string/],
      ['unknown dtype', rawFile(`{"a":${entry('F33', '[1]', '[0,4]')}}`, new Uint8Array(4)), /unknown dtype F33/],
      ['unsupported dtype', rawFile(`{"a":${entry('I64', '[1]', '[0,8]')}}`, new Uint8Array(8)), /only F32, F16 and BF16/],
      ['negative dimension', rawFile(`{"a":${entry('F32', '[-1]', '[0,4]')}}`, new Uint8Array(4)), /invalid shape/],
      ['fractional offset', rawFile(`{"a":${entry('F32', '[1]', '[0,4.5]')}}`, new Uint8Array(4)), /invalid data_offsets/],
      ['end before begin', rawFile(`{"a":${entry('F32', '[0]', '[4,0]')}}`, new Uint8Array(4)), /end before begin/],
      ['extra entry field', rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}', new Uint8Array(4)), /exactly dtype, shape, data_offsets/],
      ['shape inconsistent with span', rawFile(`{"a":${entry('F32', '[2]', '[0,4]')}}`, new Uint8Array(4)), /needs 8 bytes, offsets span 4/],
      ['huge shape', rawFile(`{"a":${entry('F32', '[4294967296,4294967296]', '[0,4]')}}`, new Uint8Array(4)), /shape too large/],
      ['gap between tensors', rawFile(`{"a":${entry('F32', '[1]', '[0,4]')},"b":${entry('F32', '[1]', '[8,12]')}}`, new Uint8Array(12)), /gap before tensor b/],
      ['overlapping tensors', rawFile(`{"a":${entry('F32', '[2]', '[0,8]')},"b":${entry('F32', '[1]', '[4,8]')}}`, new Uint8Array(8)), /overlaps/],
      ['data shorter than the tensors', rawFile(`{"a":${entry('F32', '[2]', '[0,8]')}}`, new Uint8Array(4)), /cover 8 data bytes but the file has 4/],
      ['trailing bytes after the tensors', rawFile(`{"a":${entry('F32', '[1]', '[0,4]')}}`, new Uint8Array(8)), /cover 4 data bytes but the file has 8/],
    ];
    it.each(cases)('%s', (_name, bytes, message) => expectInvalid(bytes, message));
  });
});

describe('safetensors files', () => {
  it('writes atomically and reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crucible-st-'));
    try {
      const path = join(dir, 'model.safetensors');
      await writeSafetensorsFile(path, { wte: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } }, { format: 'pt' });
      const bytes = await readFile(path);
      expect(bytes.readBigUInt64LE(0) % 8n).toBe(0n);
      const decoded = await readSafetensorsFile(path);
      expect(Array.from(decoded.tensors.get('wte')!.data)).toEqual([1, 2, 3, 4]);
      await expect(readSafetensorsFile(join(dir, 'missing.safetensors'))).rejects.toThrow(/cannot read checkpoint/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('checkpoint metadata', () => {
  it('refuses a missing or unparsable config', () => {
    expect(() => configFromMetadata({})).toThrow(/no config entry/);
    expect(() => configFromMetadata({ config: '{' })).toThrow(/not valid JSON/);
  });
});
