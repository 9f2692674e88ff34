import type { GptConfig } from './config.js';
import { paramTable, numel, type GptParams } from './params.js';

/** Standard deviation of the initial weights (GPT-2). */
export const INIT_STD = 0.02;

/** lowbias32 (Chris Wellons' 32-bit integer hash): a bijective avalanche mix of a uint32. */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The counter-based generator every implementation uses to initialise a checkpoint: the uint32 for
 * (seed, stream, counter) is
 *   k = mix32(mix32(seed) ^ mix32(stream + 0x9e3779b9))
 *   h = mix32(k ^ counter)                          (all arithmetic mod 2^32)
 * and a uniform in (0,1) is (h + 0.5) / 2^32.
 */
export function hashUniform(seed: number, stream: number, counter: number): number {
  const k = (mix32(seed >>> 0) ^ mix32((stream + 0x9e3779b9) >>> 0)) >>> 0;
  return (mix32((k ^ counter) >>> 0) + 0.5) / 4294967296;
}

/**
 * Element i of the parameter at table index p is N(0, std²) by Box–Muller over counters 2i and 2i+1:
 *   z = sqrt(−2 ln u₁) · cos(2π u₂),  u₁ = hashUniform(seed, p, 2i),  u₂ = hashUniform(seed, p, 2i+1)
 * computed in float64 and rounded once to float32.
 */
export function normalAt(seed: number, stream: number, i: number): number {
  const u1 = hashUniform(seed, stream, 2 * i);
  const u2 = hashUniform(seed, stream, 2 * i + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Fresh parameters, a pure function of (config, seed): matrices and embeddings N(0, 0.02²), the two
 * residual projections (attn.c_proj, mlp.c_proj) N(0, (0.02/√(2·nLayer))²), biases 0, LayerNorm
 * weights 1 and biases 0.
 */
export function initParams(config: GptConfig, seed: number): GptParams {
  const params: GptParams = new Map();
  const residualStd = INIT_STD / Math.sqrt(2 * config.nLayer);
  paramTable(config).forEach((spec, stream) => {
    const data = new Float32Array(numel(spec.shape));
    if (/\.ln_\d\.weight$|^ln_f\.weight$/.test(spec.name)) data.fill(1);
    else if (spec.shape.length === 2) {
      const std = /\.c_proj\.weight$/.test(spec.name) ? residualStd : INIT_STD;
      for (let i = 0; i < data.length; i++) data[i] = std * normalAt(seed, stream, i);
    }
    params.set(spec.name, data);
  });
  return params;
}
