import { createPrng } from '../data/index.js';
import type { GptConfig } from './config.js';
import { paramTable, numel, type GptParams } from './params.js';

/** Standard deviation of the initial weights (GPT-2). */
export const INIT_STD = 0.02;

/** The seed of one parameter's generator: each tensor has its own stream, so order never matters. */
export function initSeed(seed: number, name: string): string {
  return `crucible-gpt-init/${seed}/${name}`;
}

/**
 * Fresh parameters, a pure function of (config, seed): matrices and embeddings N(0, 0.02²), the two
 * residual projections (attn.c_proj, mlp.c_proj) N(0, (0.02/√(2·nLayer))²), biases 0, LayerNorm
 * weights 1 and biases 0. Normals come from the data module's PRNG (xoshiro128** seeded by blake2b,
 * Box–Muller in pairs, see data/prng.ts): createPrng(initSeed(seed, name)).fillNormal(tensor, std),
 * filling the row-major tensor in index order.
 */
export function initParams(config: GptConfig, seed: number): GptParams {
  const params: GptParams = new Map();
  const residualStd = INIT_STD / Math.sqrt(2 * config.nLayer);
  for (const spec of paramTable(config)) {
    const data = new Float32Array(numel(spec.shape));
    if (spec.shape.length === 2) {
      const std = /\.c_proj\.weight$/.test(spec.name) ? residualStd : INIT_STD;
      createPrng(initSeed(seed, spec.name)).fillNormal(data, std);
    } else if (/(^|\.)ln_(\d|f)\.weight$/.test(spec.name)) {
      data.fill(1);
    }
    params.set(spec.name, data);
  }
  return params;
}
