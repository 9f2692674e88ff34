import type { SparseTensor } from '@crucible/codec';

/**
 * How alike two updates are, two ways, over decoded sparse updates (positions either lacks count as
 * zero):
 *   overlap  the fraction of one update's kept (top-k) positions the other also kept, size-weighted
 *            over all parameters (Templar's index-overlap check, threshold 0.4): survives noise added
 *            to the values, since noise does not move which positions were kept
 *   cosine   of the decoded values: survives re-selection of positions
 * Honest miners start from the same checkpoint but train on different pages: measured on the tiny
 * preset over 14 windows, honest pairs stay below 0.25 overlap and 0.3 cosine.
 */
export type SparseUpdate = ReadonlyMap<string, SparseTensor>;

/** An update with its norm (a DecodedUpdate is one): the norm is computed once, where it is decoded. */
export interface NormedUpdate {
  readonly sparse: SparseUpdate;
  readonly norm: number;
}

export interface Similarity {
  overlap: number;
  cosine: number;
}

/** Both measures in one merge pass over each parameter's (ascending within chunks) positions. */
export function similarity(a: NormedUpdate, b: NormedUpdate): Similarity {
  let shared = 0;
  let kept = 0;
  let dot = 0;
  for (const [name, pa] of a.sparse) {
    kept += pa.indices.length;
    const pb = b.sparse.get(name);
    if (!pb) continue;
    const values = new Map<number, number>();
    for (let j = 0; j < pb.indices.length; j++) values.set(pb.indices[j]!, pb.values[j]!);
    for (let i = 0; i < pa.indices.length; i++) {
      const v = values.get(pa.indices[i]!);
      if (v === undefined) continue;
      shared++;
      dot += pa.values[i]! * v;
    }
  }
  let keptB = 0;
  for (const pb of b.sparse.values()) keptB += pb.indices.length;
  const denominator = Math.max(kept, keptB);
  return {
    overlap: denominator === 0 ? 0 : shared / denominator,
    cosine: a.norm === 0 || b.norm === 0 ? 0 : dot / (a.norm * b.norm),
  };
}

export interface SameWorkThresholds {
  copyThreshold: number;
  overlapThreshold: number;
}

/** Two updates are the same work when either measure reaches its threshold. */
export function isSameWork(s: Similarity, t: SameWorkThresholds): boolean {
  return s.cosine >= t.copyThreshold || s.overlap >= t.overlapThreshold;
}
