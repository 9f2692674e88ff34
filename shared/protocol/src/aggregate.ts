import { aggregateGradients, type CodecConfig, type CompressedTensor, type ParamSpec } from '@crucible/codec';
import type { GptParams } from '@crucible/model';

/**
 * The outer step of SparseLoCo: decode the chosen miners' updates, clip each parameter's update to the
 * median norm across those miners, average every coordinate over the miners that sent it, and apply
 *   m ← μ·m + Δ̄        θ ← θ − lr·m          (μ = 0: plain outer SGD)
 * Pseudo-gradients are θ_start − θ_end, so subtracting moves the model the way the miners moved it.
 */
export interface OuterStepOptions {
  learningRate: number;
  momentum: number;
}

export interface AggregateInput {
  config: CodecConfig;
  tensors: readonly CompressedTensor[];
}

export interface OuterStepResult {
  params: GptParams;
  /** Momentum buffers after the step (empty when momentum is 0). */
  momentum: Map<string, Float32Array>;
  /** Parameters whose aggregate was skipped because an update was not finite. */
  skipped: string[];
}

export function outerStep(
  base: GptParams,
  paramTable: readonly ParamSpec[],
  updates: readonly AggregateInput[],
  options: OuterStepOptions,
  momentum: ReadonlyMap<string, Float32Array> = new Map(),
): OuterStepResult {
  const next: GptParams = new Map();
  const nextMomentum = new Map<string, Float32Array>();
  if (updates.length === 0) {
    for (const [name, value] of base) next.set(name, value.slice());
    return { params: next, momentum: new Map(momentum), skipped: [] };
  }
  const { updates: mean, skipped } = aggregateGradients(updates, paramTable);
  for (const spec of paramTable) {
    const theta = base.get(spec.name);
    if (!theta) throw new Error(`base checkpoint lacks ${spec.name}`);
    const out = theta.slice();
    const delta = mean.get(spec.name);
    if (delta) {
      let direction = delta;
      if (options.momentum > 0) {
        const m = momentum.get(spec.name)?.slice() ?? new Float32Array(delta.length);
        for (let i = 0; i < m.length; i++) m[i] = options.momentum * m[i]! + delta[i]!;
        nextMomentum.set(spec.name, m);
        direction = m;
      }
      const lr = options.learningRate;
      for (let i = 0; i < out.length; i++) out[i] = out[i]! - lr * direction[i]!;
    }
    next.set(spec.name, out);
  }
  return { params: next, momentum: nextMomentum, skipped };
}
