import type { GptParams } from '@crucible/model';
import { updateScale } from './clip.js';
import type { OuterStepUpdate } from './outerStep.js';

/**
 * The parameters one update would produce as the only contribution to the outer step:
 *   θ' = θ − lr · (reference / ‖Δ‖) · Δ      (the scale rule, clip.ts)
 * with `reference` the window's median norm, so evaluation scores what aggregation would take of it.
 * Returns new arrays; `base` is not changed.
 */
export function applyUpdate(base: GptParams, update: OuterStepUpdate, options: { learningRate: number; reference: number | null }): { params: GptParams; scale: number } {
  const scale = updateScale(update.norm, options.reference);
  const step = options.learningRate * scale;
  const params: GptParams = new Map();
  for (const [name, theta] of base) {
    const out = theta.slice();
    const sparse = update.sparse.get(name);
    if (sparse) {
      const { indices, values } = sparse;
      for (let p = 0; p < indices.length; p++) out[indices[p]!] = out[indices[p]!]! - step * values[p]!;
    }
    params.set(name, out);
  }
  return { params, scale };
}
