import { CrucibleError } from '@crucible/core';
import type { CodecConfig } from './config.js';
import { decompressTensor } from './compress.js';
import type { CompressedTensor, SparseTensor } from './compress.js';
import type { ParamSpec } from './errorFeedback.js';
import { numelOf } from './layout.js';

/**
 * Combines several peers' decoded updates of ONE parameter the way Templar's receivers do
 * (templar-design §3.4): each peer's values are scaled by min(1, median / ‖own‖₂), the median taken
 * over the peers' L2 norms (the lower middle for an even count, as torch.median), then every
 * coordinate is averaged over the peers that sent it — not over all peers; coordinates nobody sent
 * are 0. If any peer's values are non-finite the parameter is skipped: the result is all zero and
 * `skipped` is true.
 */
export function aggregateSparse(updates: readonly SparseTensor[], numel: number): { readonly dense: Float32Array; readonly skipped: boolean } {
  const dense = new Float32Array(numel);
  if (updates.length === 0) return { dense, skipped: false };
  const norms = new Float64Array(updates.length);
  for (let u = 0; u < updates.length; u++) {
    const v = updates[u]!.values;
    let ss = 0;
    for (let i = 0; i < v.length; i++) ss += v[i]! * v[i]!;
    if (!Number.isFinite(ss)) return { dense, skipped: true };
    norms[u] = Math.sqrt(ss);
  }
  const sorted = Float64Array.from(norms).sort();
  const median = sorted[(sorted.length - 1) >> 1]!;
  const sum = new Float64Array(numel);
  const count = new Uint16Array(numel);
  for (let u = 0; u < updates.length; u++) {
    const { indices, values } = updates[u]!;
    const norm = norms[u]!;
    const scale = norm > median ? median / norm : 1;
    for (let p = 0; p < indices.length; p++) {
      const i = indices[p]!;
      sum[i] = sum[i]! + scale * values[p]!;
      count[i] = count[i]! + 1;
    }
  }
  for (let i = 0; i < numel; i++) {
    const c = count[i]!;
    if (c > 0) dense[i] = sum[i]! / c;
  }
  return { dense, skipped: false };
}

/**
 * The outer-step direction from several peers' decoded gradients: aggregateSparse per parameter of
 * `params` (every gradient must already have been decoded against that table). Returns the dense
 * update per parameter and the names of parameters skipped for non-finite contributions.
 */
export function aggregateGradients(
  gradients: readonly { readonly config: CodecConfig; readonly tensors: readonly CompressedTensor[] }[],
  params: readonly ParamSpec[],
): { readonly updates: Map<string, Float32Array>; readonly skipped: string[] } {
  const updates = new Map<string, Float32Array>();
  const skipped: string[] = [];
  params.forEach((p, i) => {
    const sparse: SparseTensor[] = [];
    for (const g of gradients) {
      const t = g.tensors[i];
      if (t === undefined || t.name !== p.name) {
        throw new CrucibleError('CODEC', `gradient does not follow the parameter table at ${p.name}`, { details: { param: p.name, index: i } });
      }
      sparse.push(decompressTensor(t, g.config));
    }
    const r = aggregateSparse(sparse, numelOf(p.shape));
    if (r.skipped) skipped.push(p.name);
    updates.set(p.name, r.dense);
  });
  return { updates, skipped };
}
