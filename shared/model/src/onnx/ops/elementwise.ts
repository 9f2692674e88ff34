import { CrucibleError } from '@crucible/core';
import type { Tape } from '../autodiff.js';
import type { GraphBuilder, Value } from '../graph.js';

/** Numpy-style broadcast of two static shapes. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new CrucibleError('INTERNAL', `cannot broadcast [${a}] with [${b}]`);
    out.push(Math.max(da, db));
  }
  return out;
}

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function sumToShape(g: GraphBuilder, grad: Value, shape: readonly number[]): Value {
  if (grad.shape.join() === shape.join()) return grad;
  const lead = grad.shape.length - shape.length;
  const axes: number[] = [];
  grad.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const keep = grad.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const summed = axes.length === 0 ? grad : g.op('ReduceSum', [grad, g.int64s(axes)], keep, { keepdims: 1 });
  return reshapeRaw(g, summed, shape);
}

function reshapeRaw(g: GraphBuilder, x: Value, shape: readonly number[]): Value {
  if (x.shape.join() === shape.join()) return x;
  return g.op('Reshape', [x, g.int64s(shape)], shape);
}

// y = a + b (broadcasting);  da = sum↓(dy), db = sum↓(dy)
export function add(t: Tape, a: Value, b: Value): Value {
  const y = t.g.op('Add', [a, b], broadcastShape(a.shape, b.shape));
  t.record([a, b], [y], ([dy]) => [sumToShape(t.g, dy!, a.shape), sumToShape(t.g, dy!, b.shape)]);
  return y;
}

// y = a − b;  da = sum↓(dy), db = −sum↓(dy)
export function sub(t: Tape, a: Value, b: Value): Value {
  const y = t.g.op('Sub', [a, b], broadcastShape(a.shape, b.shape));
  t.record([a, b], [y], ([dy], needs) => [
    sumToShape(t.g, dy!, a.shape),
    needs[1] ? sumToShape(t.g, t.g.op('Neg', [dy!], dy!.shape), b.shape) : undefined,
  ]);
  return y;
}

// y = a · b;  da = sum↓(dy·b), db = sum↓(dy·a)
export function mul(t: Tape, a: Value, b: Value): Value {
  const y = t.g.op('Mul', [a, b], broadcastShape(a.shape, b.shape));
  t.record([a, b], [y], ([dy], needs) => [
    needs[0] ? sumToShape(t.g, t.g.op('Mul', [dy!, b], y.shape), a.shape) : undefined,
    needs[1] ? sumToShape(t.g, t.g.op('Mul', [dy!, a], y.shape), b.shape) : undefined,
  ]);
  return y;
}

// y = a / b;  da = sum↓(dy/b), db = −sum↓(dy·y/b)
export function div(t: Tape, a: Value, b: Value): Value {
  const y = t.g.op('Div', [a, b], broadcastShape(a.shape, b.shape));
  t.record([a, b], [y], ([dy], needs) => [
    needs[0] ? sumToShape(t.g, t.g.op('Div', [dy!, b], y.shape), a.shape) : undefined,
    needs[1]
      ? sumToShape(t.g, t.g.op('Neg', [t.g.op('Div', [t.g.op('Mul', [dy!, y], y.shape), b], y.shape)], y.shape), b.shape)
      : undefined,
  ]);
  return y;
}

// y = x · c for a constant scalar c;  dx = dy · c
export function scale(t: Tape, x: Value, c: number): Value {
  const k = t.g.scalar(c);
  const y = t.g.op('Mul', [x, k], x.shape);
  t.record([x], [y], ([dy]) => [t.g.op('Mul', [dy!, k], x.shape)]);
  return y;
}

// y = reshape(x);  dx = reshape(dy) back
export function reshape(t: Tape, x: Value, shape: readonly number[]): Value {
  const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  if (size(shape) !== size(x.shape)) throw new CrucibleError('INTERNAL', `reshape [${x.shape}] → [${shape}]`);
  const y = reshapeRaw(t.g, x, shape);
  if (y !== x) t.record([x], [y], ([dy]) => [reshapeRaw(t.g, dy!, x.shape)]);
  return y;
}

// y = transpose(x, perm);  dx = transpose(dy, perm⁻¹)
export function transpose(t: Tape, x: Value, perm: readonly number[]): Value {
  const y = t.g.op('Transpose', [x], perm.map((p) => x.shape[p]!), { perm });
  const inv = perm.map((_, i) => perm.indexOf(i));
  t.record([x], [y], ([dy]) => [t.g.op('Transpose', [dy!], x.shape, { perm: inv })]);
  return y;
}

// [y₁…yₙ] = split(x, sizes, axis);  dx = concat(dy₁…dyₙ) (zeros for pieces that got no gradient)
export function split(t: Tape, x: Value, sizes: readonly number[], axis: number): Value[] {
  const ax = axis < 0 ? x.shape.length + axis : axis;
  const shapes = sizes.map((s) => x.shape.map((d, i) => (i === ax ? s : d)));
  const ys = t.g.node('Split', [x, t.g.int64s(sizes)], shapes, { axis: ax });
  t.record([x], ys, (dys) => {
    const parts = dys.map((dy, i) => dy ?? t.g.constant(new Float64Array(shapes[i]!.reduce((a, b) => a * b, 1)), shapes[i]!));
    return [t.g.op('Concat', parts, x.shape, { axis: ax })];
  });
  return ys;
}
