import type { Tape } from '../autodiff.js';
import type { Value } from '../graph.js';

/**
 * Attention weights y = softmax(s·scale + M) over the last axis, s: (…,T,T), where the causal mask M
 * is 0 on and below the diagonal and −1e9 above it (so exp underflows to exactly 0).
 *   ds = scale · y · (dy − Σ_last(dy·y))
 */
export function causalSoftmax(t: Tape, s: Value, scale: number): Value {
  const g = t.g;
  const shape = s.shape;
  const tt = shape[shape.length - 1]!;
  const mask = new Float64Array(tt * tt);
  for (let i = 0; i < tt; i++) for (let j = i + 1; j < tt; j++) mask[i * tt + j] = -1e9;
  const m = g.constant(mask, [tt, tt], g.float, 'causal_mask');
  const k = g.scalar(scale);
  const z = g.op('Add', [g.op('Mul', [s, k], shape), m], shape);
  const y = g.op('Softmax', [z], shape, { axis: -1 });
  t.record([s], [y], ([dy]) => {
    const keep = [...shape.slice(0, -1), 1];
    const dot = g.op('ReduceSum', [g.op('Mul', [dy!, y], shape), g.int64s([-1])], keep, { keepdims: 1 });
    const dz = g.op('Mul', [g.op('Sub', [dy!, dot], shape), y], shape);
    return [g.op('Mul', [dz, k], shape)];
  });
  return y;
}
