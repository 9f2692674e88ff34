import type { Tape } from '../autodiff.js';
import type { Value } from '../graph.js';

export const LAYER_NORM_EPS = 1e-5;

/**
 * LayerNorm over the last axis: y = x̂·w + b, x̂ = (x − μ)·σ⁻¹, σ⁻¹ = 1/sqrt(var + eps) with x: (N,C).
 * The forward also yields μ and σ⁻¹ (N,1), which the backward reuses:
 *   dw = Σ_rows dy·x̂,  db = Σ_rows dy,  g = dy·w
 *   dx = σ⁻¹ · (g − mean_c(g) − x̂ · mean_c(g·x̂))
 */
export function layerNorm(t: Tape, x: Value, w: Value, b: Value): Value {
  const g = t.g;
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const [y, mean, invStd] = g.float === 'float32' ? fused(t, x, w, b) : decomposed(t, x, w, b);
  t.record([x, w, b], [y!], ([dy], needs) => {
    const xhat = g.op('Mul', [g.op('Sub', [x, mean!], [n, c]), invStd!], [n, c]); // (N,C)
    const rows = g.int64s([0]);
    const dw = needs[1] ? g.op('ReduceSum', [g.op('Mul', [dy!, xhat], [n, c]), rows], [c], { keepdims: 0 }) : undefined;
    const db = needs[2] ? g.op('ReduceSum', [dy!, rows], [c], { keepdims: 0 }) : undefined;
    let dx: Value | undefined;
    if (needs[0]) {
      const gx = g.op('Mul', [dy!, w], [n, c]); // (N,C)
      const m1 = g.op('ReduceMean', [gx], [n, 1], { axes: [-1], keepdims: 1 }); // (N,1)
      const m2 = g.op('ReduceMean', [g.op('Mul', [gx, xhat], [n, c])], [n, 1], { axes: [-1], keepdims: 1 }); // (N,1)
      const inner = g.op('Sub', [g.op('Sub', [gx, m1], [n, c]), g.op('Mul', [xhat, m2], [n, c])], [n, c]);
      dx = g.op('Mul', [inner, invStd!], [n, c]);
    }
    return [dx, dw, db];
  });
  return y!;
}

/** float32: one LayerNormalization node, which also outputs its saved mean and inverse std. */
function fused(t: Tape, x: Value, w: Value, b: Value): Value[] {
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  return t.g.node('LayerNormalization', [x, w, b], [[n, c], [n, 1], [n, 1]], { axis: -1, epsilon: LAYER_NORM_EPS });
}

/**
 * float64: onnxruntime's LayerNormalization stashes μ and σ⁻¹ only in float32, which would limit the
 * gradient tests' precision, so the same computation is spelled out in primitive double ops.
 */
function decomposed(t: Tape, x: Value, w: Value, b: Value): Value[] {
  const g = t.g;
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const mean = g.op('ReduceMean', [x], [n, 1], { axes: [-1], keepdims: 1 });
  const xc = g.op('Sub', [x, mean], [n, c]);
  const variance = g.op('ReduceMean', [g.op('Mul', [xc, xc], [n, c])], [n, 1], { axes: [-1], keepdims: 1 });
  const invStd = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.scalar(LAYER_NORM_EPS)], [n, 1])], [n, 1])], [n, 1]);
  const y = g.op('Add', [g.op('Mul', [g.op('Mul', [xc, invStd], [n, c]), w], [n, c]), b], [n, c]);
  return [y, mean, invStd];
}
