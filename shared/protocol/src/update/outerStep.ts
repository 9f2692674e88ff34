import { averageSparse, numelOf, type SparseTensor } from '@crucible/codec';
import { CrucibleError } from '@crucible/core';
import type { GptParams, ParamSpec } from '@crucible/model';
import { medianNorm, updateScale } from './clip.js';

/**
 * The outer step of SparseLoCo: take each chosen update at the scale rule's reference norm (clip.ts),
 * average every coordinate over the updates that sent it, and apply
 *   m ← μ·m + Δ̄        θ ← θ − lr·m          (μ = 0: plain outer SGD)
 * Pseudo-gradients are θ_start − θ_end, so subtracting moves the model the way the miners moved it.
 */
export interface OuterStepOptions {
  learningRate: number;
  momentum: number;
}

/** What the outer step needs of an update (a DecodedUpdate has it). */
export interface OuterStepUpdate {
  readonly sparse: ReadonlyMap<string, SparseTensor>;
  readonly norm: number;
}

export interface OuterStepResult {
  params: GptParams;
  /** Momentum buffers after the step (empty when momentum is 0). */
  momentum: Map<string, Float32Array>;
}

export function outerStep(
  base: GptParams,
  paramTable: readonly ParamSpec[],
  updates: readonly OuterStepUpdate[],
  options: OuterStepOptions & {
    /** The window's reference norm (median of its screened updates); default: the median of these. */
    reference?: number | null;
  },
  momentum: ReadonlyMap<string, Float32Array> = new Map(),
): OuterStepResult {
  const next: GptParams = new Map();
  if (updates.length === 0) {
    for (const [name, value] of base) next.set(name, value.slice());
    return { params: next, momentum: new Map(momentum) };
  }
  const reference = options.reference ?? medianNorm(updates.map((u) => u.norm));
  const scales = updates.map((u) => updateScale(u.norm, reference));
  const nextMomentum = new Map<string, Float32Array>();
  for (const spec of paramTable) {
    const theta = base.get(spec.name);
    if (!theta) throw new CrucibleError('CHECKPOINT_INVALID', `base checkpoint lacks ${spec.name}`, { details: { param: spec.name } });
    const contributions = [];
    for (let u = 0; u < updates.length; u++) {
      const sparse = updates[u]!.sparse.get(spec.name);
      if (sparse) contributions.push({ sparse, scale: scales[u]! });
    }
    let direction = averageSparse(contributions, numelOf(spec.shape));
    if (options.momentum > 0) {
      const m = momentum.get(spec.name)?.slice() ?? new Float32Array(direction.length);
      for (let i = 0; i < m.length; i++) m[i] = options.momentum * m[i]! + direction[i]!;
      nextMomentum.set(spec.name, m);
      direction = m;
    }
    const out = theta.slice();
    const lr = options.learningRate;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! - lr * direction[i]!;
    next.set(spec.name, out);
  }
  return { params: next, momentum: nextMomentum };
}
