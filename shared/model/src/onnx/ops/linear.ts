import type { Tape } from '../autodiff.js';
import type { Value } from '../graph.js';

/**
 * y = x @ W + b with x: (N,K), W: (K,M) (or W: (M,K) and y = x @ Wᵀ + b when transW), b: (M) optional.
 *   dx = dy @ Wᵀ        (dy @ W when transW)
 *   dW = xᵀ @ dy        (dyᵀ @ x when transW)
 *   db = Σ_rows dy
 * All three are single Gemm/ReduceSum nodes; Gemm's transpose flags avoid materialising transposes.
 */
export function linear(t: Tape, x: Value, w: Value, b?: Value, transW = false): Value {
  const n = x.shape[0]!;
  const m = transW ? w.shape[0]! : w.shape[1]!;
  const inputs = b === undefined ? [x, w] : [x, w, b];
  const y = t.g.op('Gemm', inputs, [n, m], transW ? { transB: 1 } : {}); // y: (N,M)
  t.record(inputs, [y], ([dy], needs) => [
    needs[0] ? t.g.op('Gemm', [dy!, w], x.shape, transW ? {} : { transB: 1 }) : undefined, // dx: (N,K)
    needs[1] ? (transW ? t.g.op('Gemm', [dy!, x], w.shape, { transA: 1 }) : t.g.op('Gemm', [x, dy!], w.shape, { transA: 1 })) : undefined,
    needs[2] ? t.g.op('ReduceSum', [dy!, t.g.int64s([0])], [m], { keepdims: 0 }) : undefined, // db: (M)
  ]);
  return y;
}

/**
 * Batched matrix product y = a @ b with a: (…,M,K), b: (…,K,N) and identical batch dimensions.
 *   da = dy @ bᵀ,  db = aᵀ @ dy   (transposes of the last two axes)
 */
export function matmul(t: Tape, a: Value, b: Value): Value {
  const r = a.shape.length;
  const batch = a.shape.slice(0, r - 2);
  const y = t.g.op('MatMul', [a, b], [...batch, a.shape[r - 2]!, b.shape[r - 1]!]);
  const perm = [...batch.map((_, i) => i), r - 1, r - 2];
  const tr = (v: Value) => t.g.op('Transpose', [v], perm.map((p) => v.shape[p]!), { perm });
  t.record([a, b], [y], ([dy], needs) => [
    needs[0] ? t.g.op('MatMul', [dy!, tr(b)], a.shape) : undefined,
    needs[1] ? t.g.op('MatMul', [tr(a), dy!], b.shape) : undefined,
  ]);
  return y;
}
