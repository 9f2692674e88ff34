import type { SparseTensor } from './compress.js';

/**
 * Averages several peers' decoded values of ONE parameter, each multiplied by its peer's scale (how
 * much of each update to take is the protocol's rule, not the codec's): every coordinate is averaged
 * over the peers that sent it — not over all peers, as Templar's receivers do (templar-design §3.4);
 * coordinates nobody sent are 0.
 */
export function averageSparse(updates: readonly { readonly sparse: SparseTensor; readonly scale: number }[], numel: number): Float32Array {
  const dense = new Float32Array(numel);
  if (updates.length === 0) return dense;
  const sum = new Float64Array(numel);
  const count = new Uint16Array(numel);
  for (const { sparse, scale } of updates) {
    const { indices, values } = sparse;
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
  return dense;
}
