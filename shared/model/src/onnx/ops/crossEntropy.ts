import type { Tape } from '../autodiff.js';
import type { GraphBuilder, Value } from '../graph.js';

/**
 * Mean cross-entropy (natural log) of logits: (N,V) against int64 targets: (N) → scalar.
 * SoftmaxCrossEntropyLoss also returns log p (N,V), so the backward needs no second softmax:
 *   dlogits = (p − onehot(target)) · dloss / N
 * where subtracting the one-hot is a ScatterElements of −1 with reduction=add at each target.
 */
export function crossEntropy(t: Tape, logits: Value, targets: Value): Value {
  const g = t.g;
  const [n, v] = [logits.shape[0]!, logits.shape[1]!];
  const [loss, logp] = g.node('SoftmaxCrossEntropyLoss', [logits, targets], [[], [n, v]], { reduction: 'mean' });
  t.record([logits, targets], [loss!], ([dl]) => {
    const p = g.op('Exp', [logp!], [n, v]);
    const idx = g.op('Reshape', [targets, g.int64s([n, 1])], [n, 1], {}, 'int64');
    const minusOne = g.constant(new Float64Array(n).fill(-1), [n, 1]);
    const pm = g.op('ScatterElements', [p, idx, minusOne], [n, v], { axis: 1, reduction: 'add' });
    const k = g.op('Mul', [dl!, g.scalar(1 / n)], []);
    return [g.op('Mul', [pm, k], [n, v]), undefined];
  });
  return loss!;
}

/** Per-position cross-entropy (N) without a gradient, for evaluation graphs. */
export function crossEntropyPerPosition(g: GraphBuilder, logits: Value, targets: Value): Value {
  const n = logits.shape[0]!;
  return g.node('SoftmaxCrossEntropyLoss', [logits, targets], [[n]], { reduction: 'none' })[0]!;
}
