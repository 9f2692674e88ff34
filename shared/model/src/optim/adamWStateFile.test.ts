import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../safetensors/index.js';
import { AdamW } from './adamw.js';
import { decodeAdamWState, encodeAdamWState, encodeAdamWStateParts } from './adamWStateFile.js';

const specs = [
  { name: 'wte.weight', shape: [4, 2] },
  { name: 'ln_f.bias', shape: [2] },
];

describe('AdamW state files', () => {
  it('persist the moments and step so a restored optimizer continues identically', () => {
    const a = new AdamW(specs);
    const pa = [new Float32Array(8).fill(1), new Float32Array(2).fill(-1)];
    const grads = (s: number) => [new Float32Array(8).map((_, j) => Math.sin(s + j)), new Float32Array(2).map((_, j) => Math.cos(s * j))];
    for (let s = 0; s < 2; s++) a.update(pa, grads(s), 1e-2);

    const b = new AdamW(specs);
    b.importState(decodeAdamWState(encodeAdamWState(a)));
    expect(b.step).toBe(2);
    const pb = pa.map((p) => p.slice());
    a.update(pa, grads(2), 1e-2);
    b.update(pb, grads(2), 1e-2);
    expect(pb).toEqual(pa);
  });

  it('writes the same file as parts, and exportState stays a copy while viewState is not', () => {
    const a = new AdamW(specs);
    a.update([new Float32Array(8).fill(1), new Float32Array(2)], [new Float32Array(8).fill(0.5), new Float32Array(2).fill(-2)], 1e-2);
    expect(Buffer.concat(encodeAdamWStateParts(a))).toEqual(Buffer.from(encodeAdamWState(a)));
    const copy = a.exportState();
    const view = a.viewState();
    expect(view).toEqual(copy);
    a.update([new Float32Array(8).fill(1), new Float32Array(2)], [new Float32Array(8).fill(0.5), new Float32Array(2).fill(-2)], 1e-2);
    expect(a.viewState().m['wte.weight']).toBe(view.m['wte.weight']);
    expect(view.m['wte.weight']).not.toEqual(copy.m['wte.weight']);
  });

  it('refuses a model checkpoint or a state with a bad step', () => {
    const model = encodeSafetensors({ 'wte.weight': { shape: [1], data: new Float32Array(1) } }, { format: 'pt' });
    expect(() => decodeAdamWState(model)).toThrow(/not an AdamW state file/);
    const badStep = encodeSafetensors({}, { kind: 'crucible-adamw-state-v1', step: '-3' });
    expect(() => decodeAdamWState(badStep)).toThrow(/invalid step/);
    const stray = encodeSafetensors({ 'x.y': { shape: [1], data: new Float32Array(1) } }, { kind: 'crucible-adamw-state-v1', step: '0' });
    expect(() => decodeAdamWState(stray)).toThrow(/unexpected tensor x\.y/);
  });
});
