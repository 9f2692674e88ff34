import type { Tape } from '../autodiff.js';
import type { GraphBuilder, Value } from '../graph.js';

/**
 * Causal multi-head self-attention core, fused for speed: qkv (B·T, 3C) → y (B·T, C), where q, k, v are
 * qkv's three C-wide column blocks in that order and head h owns columns h·D … h·D+D−1 of each (D = C/H).
 *   S = q kᵀ · D^−½ + M (M: 0 on/below the diagonal, −1e9 above),  P = softmax(S),  O = P v
 * Backward (per batch and head):
 *   dP = dO vᵀ,  dV = Pᵀ dO,  dS = P ⊙ (dP − Σ_row dP⊙P),  dQ = dS k · D^−½,  dK = dSᵀ q · D^−½
 */
export function causalSelfAttention(t: Tape, qkv: Value, batch: number, seq: number, heads: number): Value {
  const g = t.g;
  const [B, T, H] = [batch, seq, heads];
  const C = qkv.shape[1]! / 3;
  const D = C / H;
  const N = B * T;
  const scale = 1 / Math.sqrt(D);
  const bhtd = [B, H, T, D];
  const bhtt = [B, H, T, T];

  const qkv5 = g.op('Reshape', [qkv, g.int64s([B, T, 3, H, D])], [B, T, 3, H, D]);
  const heads3 = g.op('Transpose', [qkv5], [3, B, H, T, D], { perm: [2, 0, 3, 1, 4] }); // (3,B,H,T,D)
  const [q, k, v] = g
    .node('Split', [heads3, g.int64s([1, 1, 1])], [[1, ...bhtd], [1, ...bhtd], [1, ...bhtd]], { axis: 0 })
    .map((x) => g.op('Reshape', [x, g.int64s(bhtd)], bhtd)); // each (B,H,T,D)
  const mask = causalMask(g, T);
  const s = g.op('Add', [mm(g, q!, k!, bhtt, { transB: true, alpha: scale }), mask], bhtt); // (B,H,T,T)
  const p = g.op('Softmax', [s], bhtt, { axis: -1 });
  const o = g.op('MatMul', [p, v!], bhtd); // (B,H,T,D)
  const y = g.op('Reshape', [g.op('Transpose', [o], [B, T, H, D], { perm: [0, 2, 1, 3] }), g.int64s([N, C])], [N, C]);

  t.record([qkv], [y], ([dy]) => {
    const dO = g.op('Transpose', [g.op('Reshape', [dy!, g.int64s([B, T, H, D])], [B, T, H, D])], bhtd, { perm: [0, 2, 1, 3] });
    const dP = mm(g, dO, v!, bhtt, { transB: true }); // (B,H,T,T)
    const dV = mm(g, p, dO, bhtd, { transA: true }); // (B,H,T,D)
    const dot = g.op('ReduceSum', [g.op('Mul', [dP, p], bhtt), g.int64s([-1])], [B, H, T, 1], { keepdims: 1 });
    const dS = g.op('Mul', [g.op('Sub', [dP, dot], bhtt), p], bhtt);
    const dQ = mm(g, dS, k!, bhtd, { alpha: scale });
    const dK = mm(g, dS, q!, bhtd, { transA: true, alpha: scale });
    const stacked = g.op('Concat', [dQ, dK, dV].map((d) => g.op('Reshape', [d, g.int64s([1, ...bhtd])], [1, ...bhtd])), [3, B, H, T, D], { axis: 0 });
    const back = g.op('Transpose', [stacked], [B, T, 3, H, D], { perm: [1, 3, 0, 2, 4] });
    return [g.op('Reshape', [back, g.int64s([N, 3 * C])], [N, 3 * C])];
  });
  return y;
}

function causalMask(g: GraphBuilder, T: number): Value {
  const mask = new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -1e9;
  return g.constant(mask, [T, T], g.float, 'causal_mask');
}

/**
 * alpha · op(a) @ op(b) over the last two axes. float32 uses onnxruntime's FusedMatMul (transposes and
 * scaling inside the GEMM); float64, which FusedMatMul lacks, and graphs built without contrib ops (for
 * the WebGPU execution provider) spell it out with standard ops.
 */
function mm(g: GraphBuilder, a: Value, b: Value, shape: readonly number[], o: { transA?: boolean; transB?: boolean; alpha?: number }): Value {
  if (g.float === 'float32' && g.contribOps) {
    const attrs: Record<string, number | { float: number }> = {};
    if (o.transA) attrs.transA = 1;
    if (o.transB) attrs.transB = 1;
    if (o.alpha !== undefined) attrs.alpha = { float: o.alpha };
    return g.node('FusedMatMul', [a, b], [shape], attrs, 'com.microsoft')[0]!;
  }
  const r = a.shape.length;
  const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
  const tr = (x: Value) => g.op('Transpose', [x], perm.map((i) => x.shape[i]!), { perm });
  const prod = g.op('MatMul', [o.transA ? tr(a) : a, o.transB ? tr(b) : b], shape);
  return o.alpha === undefined ? prod : g.op('Mul', [prod, g.scalar(o.alpha)], shape);
}
