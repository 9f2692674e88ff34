import type { Tape } from '../autodiff.js';
import type { Value } from '../graph.js';

const K = Math.sqrt(2 / Math.PI);
const A = 0.044715;

/**
 * GELU, tanh approximation: y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³).
 * Computed as y = x·σ(2u) (since ½(1 + tanh u) = σ(2u)), which needs fewer elementwise passes:
 *   s = σ(x·(2K + 2KA·x²)),  y = x·s
 *   dy/dx = s + x·s·(1 − s)·(2K + 6KA·x²) = s + y·(1 − s)·(2K + 6KA·x²)
 * Only x, s and y stay alive for the backward pass (y is needed anyway by the next layer's gradient).
 */
export function gelu(t: Tape, x: Value): Value {
  const g = t.g;
  const shape = x.shape;
  const x2 = g.op('Mul', [x, x], shape);
  const z = g.op('Mul', [x, g.op('Add', [g.op('Mul', [x2, g.scalar(2 * K * A)], shape), g.scalar(2 * K)], shape)], shape);
  const s = g.op('Sigmoid', [z], shape);
  const y = g.op('Mul', [x, s], shape);
  t.record([x], [y], ([dy]) => {
    const xx = g.op('Mul', [x, x], shape); // recomputed: cheaper than keeping x² alive
    const dz = g.op('Add', [g.op('Mul', [xx, g.scalar(6 * K * A)], shape), g.scalar(2 * K)], shape);
    const right = g.op('Mul', [g.op('Mul', [y, g.op('Sub', [g.scalar(1), s], shape)], shape), dz], shape);
    return [g.op('Mul', [dy!, g.op('Add', [s, right], shape)], shape)];
  });
  return y;
}
