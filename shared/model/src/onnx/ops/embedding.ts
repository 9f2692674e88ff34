import type { Tape } from '../autodiff.js';
import type { Value } from '../graph.js';

/**
 * Row lookup y[n] = W[ids[n]] with W: (V,C), ids: (N) int64 → y: (N,C).
 *   dW[v] = Σ_{n: ids[n] = v} dy[n]   — repeated ids must ADD their rows.
 * The sum is computed as onehot(ids)ᵀ @ dy, one GEMM over a 0/1 matrix: exact row sums in a fixed
 * order. onnxruntime 1.30's ScatterND with reduction=add is not used because, with more than one
 * intra-op thread, it races on repeated ids and loses updates (measured: wte gradients differing by
 * up to 2.5e-2 between identical runs).
 */
export function embedding(t: Tape, w: Value, ids: Value): Value {
  const g = t.g;
  const [v, c] = [w.shape[0]!, w.shape[1]!];
  const n = ids.shape[0]!;
  const y = g.op('Gather', [w, ids], [n, c], { axis: 0 }); // y: (N,C)
  t.record([w, ids], [y], ([dy]) => {
    const column = g.op('Reshape', [ids, g.int64s([n, 1])], [n, 1], {}, 'int64'); // (N,1)
    const vocab = g.constant(Array.from({ length: v }, (_, i) => i), [1, v], 'int64', 'vocab_ids'); // (1,V)
    const hit = g.op('Equal', [column, vocab], [n, v], {}, 'bool'); // (N,V)
    const onehot = g.op('Cast', [hit], [n, v], { to: g.float === 'float32' ? 1 : 11 }); // (N,V)
    return [g.op('Gemm', [onehot, dy!], [v, c], { transA: 1 }), undefined]; // (V,C)
  });
  return y;
}
