import type { GraphBuilder, Value } from '../onnx/graph.js';
import type { AdamWOptions } from './adamw.js';

/**
 * Arithmetic of the optimizer inside a graph. float64 repeats the host AdamW (adamw.ts) operation for
 * operation in double precision, so a step on the CPU or CUDA execution provider gives the host's
 * float32 results bit for bit (up to the summation order of the gradient norm, see emitAdamW). The
 * WebGPU execution provider has no float64 kernels: float32 there.
 */
export type OptimizerPrecision = 'float64' | 'float32';

/** One flat tensor family of the optimizer: parameters, gradients and both moments (float32, same shape). */
export interface AdamWSegmentInputs {
  p: Value;
  g: Value;
  m: Value;
  v: Value;
  /** Decoupled weight decay applies (the 2-D parameters; see decaysWeight). */
  decay: boolean;
}

export interface AdamWGraphInputs {
  segments: readonly AdamWSegmentInputs[];
  /** Scalars in the arithmetic precision: the step's learning rate, 1 − β1ᵗ and 1/sqrt(1 − β2ᵗ). */
  lr: Value;
  bias1: Value;
  invSqrtBias2: Value;
}

export interface AdamWGraphOutputs {
  /** Updated p, m, v per segment (float32); the inputs unchanged when the step was skipped. */
  segments: { p: Value; m: Value; v: Value }[];
  /** Global L2 norm of the gradients before clipping (arithmetic precision). */
  gradNorm: Value;
  /** bool: the gradient norm was finite and the update applied. */
  applied: Value;
}

/**
 * One AdamW step with global-norm clipping, emitted into `g`: the host AdamW's rule (adamw.ts) with its
 * guard, a step whose gradient norm is not finite changes nothing (the host throws and changes nothing).
 * `options` must be complete (adamWDefaults merged). In float64 every element is computed exactly as
 * the host does it (same operations in the same order, rounded to float32 once at the end); only the
 * norm's sum may differ in its last bits, because onnxruntime reduces in its own order, and that reaches
 * the parameters only through the clipping factor.
 */
export function emitAdamW(g: GraphBuilder, inputs: AdamWGraphInputs, options: Required<AdamWOptions>, precision: OptimizerPrecision): AdamWGraphOutputs {
  const { beta1, beta2, eps, weightDecay, maxGradNorm } = options;
  const elem = precision;
  const to = precision === 'float64' ? 11 : 1;
  const c = (x: number) => g.constant([x], [], elem, 'adamw_const');
  const up = (x: Value) => (x.elem === elem ? x : g.op('Cast', [x], x.shape, { to }, elem));
  const down = (x: Value) => (x.elem === 'float32' ? x : g.op('Cast', [x], x.shape, { to: 1 }, 'float32'));
  const op = (type: string, xs: Value[], shape: readonly number[] = xs[0]!.shape) => g.op(type, xs, shape, {}, elem);

  const grads = inputs.segments.map((s) => up(s.g));
  // norm = sqrt(Σ g²) over every segment (the host sums in float64 in table order)
  let sq: Value | undefined;
  for (const gs of grads) {
    const r = g.op('ReduceSumSquare', [gs], [], { keepdims: 0 }, elem);
    sq = sq === undefined ? r : op('Add', [sq, r], []);
  }
  const gradNorm = op('Sqrt', [sq!], []);
  const nonFinite = g.op('Or', [g.op('IsNaN', [gradNorm], [], {}, 'bool'), g.op('IsInf', [gradNorm], [], {}, 'bool')], [], {}, 'bool');
  const applied = g.op('Not', [nonFinite], [], {}, 'bool');
  // s = norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1   (0 or Infinity: no clipping)
  const clips = maxGradNorm > 0 && Number.isFinite(maxGradNorm);
  const scale = clips
    ? g.op('Where', [g.op('Greater', [gradNorm, c(maxGradNorm)], [], {}, 'bool'), op('Div', [c(maxGradNorm), op('Add', [gradNorm, c(1e-6)], [])], []), c(1)], [], {}, elem)
    : undefined;
  const stepSize = op('Div', [inputs.lr, inputs.bias1], []); // lr / (1 − β1ᵗ)
  const decay = op('Sub', [c(1), op('Mul', [inputs.lr, c(weightDecay)], [])], []); // 1 − lr·wd

  const segments = inputs.segments.map((s, i) => {
    const gj = scale === undefined ? grads[i]! : op('Mul', [grads[i]!, scale]);
    const m2 = op('Add', [op('Mul', [c(beta1), up(s.m)]), op('Mul', [c(1 - beta1), gj])]); // β1·m + (1−β1)·g
    const v2 = op('Add', [op('Mul', [c(beta2), up(s.v)]), op('Mul', [op('Mul', [c(1 - beta2), gj]), gj])]); // β2·v + ((1−β2)·g)·g
    const p = up(s.p);
    const pd = s.decay ? op('Mul', [p, decay]) : p;
    const den = op('Add', [op('Mul', [op('Sqrt', [v2]), inputs.invSqrtBias2]), c(eps)]); // sqrt(v)/sqrt(1−β2ᵗ) + eps
    const p2 = op('Sub', [pd, op('Div', [op('Mul', [stepSize, m2]), den])]); // p·decay − stepSize·m / den
    const keep = (next: Value, prev: Value) => g.op('Where', [applied, down(next), prev], prev.shape, {}, 'float32');
    return { p: keep(p2, s.p), m: keep(m2, s.m), v: keep(v2, s.v) };
  });
  return { segments, gradNorm, applied };
}
