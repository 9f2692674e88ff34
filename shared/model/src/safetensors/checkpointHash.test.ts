import { blake2b256, toHex } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { canonicalCheckpointEncoding, checkpointHash } from './checkpointHash.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

const a = { shape: [2], data: new Float32Array([1, 2]) };
const b = { shape: [1, 1], data: new Float32Array([3]) };

describe('checkpointHash', () => {
  it('is blake2b-256 of the documented canonical encoding', () => {
    const enc = canonicalCheckpointEncoding({ a }, { k: 'v' });
    const expected = Buffer.concat([
      Buffer.from('crucible-checkpoint-v1\n'),
      Buffer.from([1, 0, 0, 0, 1, 0, 0, 0]), Buffer.from('k'), Buffer.from([1, 0, 0, 0]), Buffer.from('v'),
      Buffer.from([1, 0, 0, 0, 1, 0, 0, 0]), Buffer.from('a'),
      Buffer.from([3, 0, 0, 0]), Buffer.from('F32'),
      Buffer.from([1, 0, 0, 0]), Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([8, 0, 0, 0, 0, 0, 0, 0]), Buffer.from(new Float32Array([1, 2]).buffer),
    ]);
    expect(Buffer.from(enc)).toEqual(expected);
    expect(checkpointHash({ a }, { k: 'v' })).toBe(toHex(blake2b256(expected)));
  });

  it('does not depend on key order, header whitespace or the stored dtype', () => {
    const h = checkpointHash(new Map([['a', a], ['b', b]]), { format: 'pt', config: '{}' });
    expect(checkpointHash(new Map([['b', b], ['a', a]]), { config: '{}', format: 'pt' })).toBe(h);
    const spaced = new TextEncoder().encode(
      '{ "b" : {"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}, "__metadata__": {"config":"{}","format":"pt"}, "a": {"data_offsets":[0,8],"shape":[2],"dtype":"F32"}}',
    );
    const file = new Uint8Array(8 + spaced.length + 12);
    new DataView(file.buffer).setBigUint64(0, BigInt(spaced.length), true);
    file.set(spaced, 8);
    file.set(new Uint8Array(new Float32Array([1, 2, 3]).buffer), 8 + spaced.length);
    const decoded = decodeSafetensors(file);
    expect(checkpointHash(decoded.tensors, decoded.metadata)).toBe(h);
    const viaEncode = decodeSafetensors(encodeSafetensors({ a, b }, { format: 'pt', config: '{}' }));
    expect(checkpointHash(viaEncode.tensors, viaEncode.metadata)).toBe(h);
  });

  it('changes with any value, shape, name or metadata', () => {
    const h = checkpointHash({ a, b });
    expect(checkpointHash({ a: { shape: [2], data: new Float32Array([1, 2.0000002]) }, b })).not.toBe(h);
    expect(checkpointHash({ a, b: { shape: [1], data: b.data } })).not.toBe(h);
    expect(checkpointHash({ a, c: b })).not.toBe(h);
    expect(checkpointHash({ a, b }, { config: '{}' })).not.toBe(h);
    expect(() => checkpointHash({ a: { shape: [3], data: a.data } })).toThrow(/does not match/);
    // Moving bytes between a name and the data must not collide (lengths are encoded).
    expect(checkpointHash({ ab: { shape: [0], data: new Float32Array(0) } })).not.toBe(checkpointHash({ a: { shape: [0], data: new Float32Array(0) }, b: { shape: [0], data: new Float32Array(0) } }));
  });
});
