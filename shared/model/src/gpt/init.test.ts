import { describe, expect, it } from 'vitest';
import { presets } from './config.js';
import { initParams } from './init.js';
import { paramCount, paramTable } from './params.js';

describe('initParams', () => {
  const config = presets.small;
  const params = initParams(config, 3);

  it('follows the parameter table: small has 3,257,856 parameters', () => {
    expect([...params.keys()]).toEqual(paramTable(config).map((p) => p.name));
    expect(paramCount(config)).toBe(3_257_856);
  });

  it('draws N(0, 0.02²) weights, N(0, (0.02/√8)²) residual projections, zero biases and unit LayerNorm gains', () => {
    const std = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(std(params.get('h.0.attn.c_attn.weight')!)).toBeCloseTo(0.02, 3);
    expect(std(params.get('wte.weight')!)).toBeCloseTo(0.02, 3);
    expect(std(params.get('h.3.mlp.c_proj.weight')!)).toBeCloseTo(0.02 / Math.sqrt(8), 3);
    expect(params.get('h.1.mlp.c_fc.bias')!.every((v) => v === 0)).toBe(true);
    expect(params.get('ln_f.weight')!.every((v) => v === 1)).toBe(true);
    expect(params.get('h.2.ln_1.bias')!.every((v) => v === 0)).toBe(true);
  });

  it('is a pure function of the seed', () => {
    const again = initParams(config, 3);
    const other = initParams(config, 4);
    expect(again.get('wpe.weight')).toEqual(params.get('wpe.weight'));
    expect(other.get('wpe.weight')).not.toEqual(params.get('wpe.weight'));
  });
});
