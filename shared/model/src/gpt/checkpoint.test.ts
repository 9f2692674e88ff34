import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { decodeCheckpoint, encodeCheckpoint, hashCheckpoint } from './checkpoint.js';
import type { GptConfig } from './config.js';
import { initParams } from './init.js';
import { flattenParams, paramCount, unflattenParams } from './params.js';

const config: GptConfig = { nLayer: 1, nEmbd: 16, nHead: 2, blockSize: 8 };

describe('checkpoints', () => {
  it('round-trip through safetensors bytes with config, metadata and an unchanged hash', () => {
    const ckpt = { config, params: initParams(config, 1), metadata: { step: '7' } };
    const back = decodeCheckpoint(encodeCheckpoint(ckpt));
    expect(back.config).toEqual(config);
    expect(back.metadata).toEqual({ step: '7' });
    expect([...back.params.keys()]).toEqual([...ckpt.params.keys()]);
    expect(flattenParams(config, back.params)).toEqual(flattenParams(config, ckpt.params));
    expect(hashCheckpoint(back)).toBe(hashCheckpoint(ckpt));
  });

  it('hash changes when one weight changes by one ulp', () => {
    const params = initParams(config, 1);
    const before = hashCheckpoint({ config, params, metadata: {} });
    const w = params.get('h.0.mlp.c_fc.weight')!;
    const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
    bits[3]! += 1;
    expect(hashCheckpoint({ config, params, metadata: {} })).not.toBe(before);
  });

  it('rejects a checkpoint whose tensors do not match its config', () => {
    const bytes = encodeCheckpoint({ config, params: initParams(config, 1), metadata: {} });
    const text = Buffer.from(bytes).toString('latin1').replace('\\"nEmbd\\":16', '\\"nEmbd\\":32');
    expect(text).toContain('\\"nEmbd\\":32'); // the config is JSON inside the JSON header
    expect(() => decodeCheckpoint(Buffer.from(text, 'latin1'))).toThrow(expect.objectContaining({ code: 'CHECKPOINT_INVALID' }));
  });

  it('flattens parameters in table order and back', () => {
    const params = initParams(config, 2);
    const flat = flattenParams(config, params);
    expect(flat.length).toBe(paramCount(config));
    expect(flat.subarray(0, 16)).toEqual(params.get('wte.weight')!.subarray(0, 16));
    const back = unflattenParams(config, flat);
    expect([...back.entries()]).toEqual([...params.entries()]);
    try {
      unflattenParams(config, flat.subarray(1));
      expect.unreachable();
    } catch (e) {
      expect(isCrucibleError(e, 'MODEL')).toBe(true);
    }
  });
});
