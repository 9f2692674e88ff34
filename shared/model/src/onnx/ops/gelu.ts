import type { Tape } from '../autodiff.js';
import type { Value } from '../graph.js';

const K = Math.sqrt(2 / Math.PI);
const A = 0.044715;

/**
 * GELU, tanh approximation: y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³).
 *   dy/dx = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)
 */
export function gelu(t: Tape, x: Value): Value {
  const g = t.g;
  const s = x.shape;
  const one = g.scalar(1);
  const x2 = g.op('Mul', [x, x], s);
  const u = g.op('Mul', [g.op('Mul', [x, g.op('Add', [g.op('Mul', [x2, g.scalar(A)], s), one], s)], s), g.scalar(K)], s);
  const th = g.op('Tanh', [u], s);
  const onePlusT = g.op('Add', [th, one], s);
  const y = g.op('Mul', [g.op('Mul', [x, onePlusT], s), g.scalar(0.5)], s);
  t.record([x], [y], ([dy]) => {
    const sech2 = g.op('Sub', [one, g.op('Mul', [th, th], s)], s);
    const du = g.op('Add', [g.op('Mul', [x2, g.scalar(3 * A)], s), one], s);
    const right = g.op('Mul', [g.op('Mul', [x, sech2], s), g.op('Mul', [du, g.scalar(0.5 * K)], s)], s);
    const slope = g.op('Add', [g.op('Mul', [onePlusT, g.scalar(0.5)], s), right], s);
    return [g.op('Mul', [dy!, slope], s)];
  });
  return y;
}
