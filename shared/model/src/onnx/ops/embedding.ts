import type { Tape } from '../autodiff.js';
import type { Value } from '../graph.js';

/**
 * Row lookup y[n] = W[ids[n]] with W: (V,C), ids: (N) int64 → y: (N,C).
 *   dW = scatter-add of dy rows into zeros(V,C) at ids. The reduction must ADD: a token id that occurs
 *   twice in a batch receives both rows' gradients (ScatterND without reduction would keep only one).
 */
export function embedding(t: Tape, w: Value, ids: Value): Value {
  const [v, c] = [w.shape[0]!, w.shape[1]!];
  const n = ids.shape[0]!;
  const y = t.g.op('Gather', [w, ids], [n, c], { axis: 0 }); // y: (N,C)
  t.record([w, ids], [y], ([dy]) => {
    const zeros = t.g.op('Expand', [t.g.scalar(0), t.g.int64s([v, c])], [v, c]); // (V,C)
    const idx = t.g.op('Reshape', [ids, t.g.int64s([n, 1])], [n, 1], {}, 'int64'); // (N,1)
    return [t.g.op('ScatterND', [zeros, idx, dy!], [v, c], { reduction: 'add' }), undefined];
  });
  return y;
}
