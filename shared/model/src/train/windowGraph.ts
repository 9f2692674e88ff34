import { CrucibleError } from '@crucible/core';
import { validateConfig, type GptConfig } from '../gpt/config.js';
import { flatLayout, segmentShape, SEGMENTS, type FlatLayout, type Segment } from '../gpt/flatLayout.js';
import { emitTrainStep } from '../gpt/graphs.js';
import { Tape } from '../onnx/autodiff.js';
import { GraphBuilder, type Value } from '../onnx/graph.js';
import { adamWDefaults, type AdamWOptions } from '../optim/adamw.js';
import { emitAdamW, type OptimizerPrecision } from '../optim/adamwGraph.js';

/** Names of the window graph's inputs and outputs (the host side in windowTrainer.ts uses them). */
export const windowNames = {
  state: (family: StateFamily, segment: Segment) => `${family}.${segment}`,
  out: (family: StateFamily, segment: Segment) => `out.${family}.${segment}`,
  tokens: 'tokens',
  targets: 'targets',
  steps: 'steps',
  lr: 'lr',
  bias1: 'bias1',
  invSqrtBias2: 'inv_sqrt_bias2',
  losses: 'losses',
  gradNorms: 'grad_norms',
  applied: 'applied',
  appliedCount: 'applied_count',
} as const;

/** The optimizer state families carried through the Loop: parameters and AdamW's two moments. */
export type StateFamily = 'params' | 'm' | 'v';
export const STATE_FAMILIES: readonly StateFamily[] = ['params', 'm', 'v'];

export interface WindowGraphOptions {
  /** Sequences per micro-batch. */
  batch: number;
  /** Most inner steps one run can take (the `steps` input chooses how many, 1..maxSteps). */
  maxSteps: number;
  /** Micro-batches whose gradients are averaged into one step (gradient accumulation). Default 1. */
  accumulate?: number;
  adamw?: AdamWOptions;
  /** Optimizer arithmetic (see OptimizerPrecision). Default float64. */
  precision?: OptimizerPrecision;
}

/**
 * A window of training as one ONNX graph: `steps` inner steps (forward, backward, global-norm clip,
 * AdamW with the non-finite guard) inside one `Loop`, so parameters and moments stay on the execution
 * provider's device from the first step to the last and cross the bus once each way per run.
 *
 * Inputs: `params|m|v.decay|nodecay` (float32, the flat segments of flatLayout), `tokens`/`targets`
 * int64 (maxSteps, [accumulate,] batch, blockSize), `steps` int64 scalar, and per step float64 (maxSteps):
 * `lr` (step k's learning rate) and, per applied step j of this run (optimizer step t = t0 + j + 1),
 * `bias1` = 1 − β1ᵗ and `inv_sqrt_bias2` = 1/sqrt(1 − β2ᵗ), computed on the host exactly as AdamW does.
 * Outputs: `out.params|m|v.<segment>`, `applied_count` (int64), and per step (steps): `losses` (float32,
 * mean over the step's micro-batches), `grad_norms` (float64) and `applied` (bool).
 */
export function buildWindowGraph(config: GptConfig, options: WindowGraphOptions): Uint8Array {
  const cfg = validateConfig(config);
  const K = options.maxSteps;
  const A = options.accumulate ?? 1;
  for (const [name, v] of [['batch', options.batch], ['maxSteps', K], ['accumulate', A]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new CrucibleError('CONFIG_INVALID', `window graph ${name} must be a positive integer, got ${v}`);
  }
  const layout = flatLayout(cfg);
  const adamw = { ...adamWDefaults, ...options.adamw };
  const precision = options.precision ?? 'float64';
  const g = new GraphBuilder('float32');
  const batchShape = A === 1 ? [options.batch, cfg.blockSize] : [A, options.batch, cfg.blockSize];
  const state = stateInputs(g, layout, (f, s) => windowNames.state(f, s));
  const tokens = g.input(windowNames.tokens, [K, ...batchShape], 'int64');
  const targets = g.input(windowNames.targets, [K, ...batchShape], 'int64');
  const steps = g.input(windowNames.steps, [], 'int64');
  const lr = g.input(windowNames.lr, [K], 'float64');
  const bias1 = g.input(windowNames.bias1, [K], 'float64');
  const invSqrtBias2 = g.input(windowNames.invSqrtBias2, [K], 'float64');

  // The body: one inner step. Inputs: iteration number, condition, then the loop-carried state.
  const b = new Tape('float32', { namePrefix: 'step/' });
  const bg = b.g;
  const iter = bg.input('step/iter', [], 'int64');
  const cond = bg.input('step/cond', [], 'bool');
  const carried = stateInputs(bg, layout, (f, s) => `step/${f}.${s}`);
  const count = bg.input('step/applied_count', [], 'int64');
  const pick = (x: Value, index: Value, elem: Value['elem']) => bg.op('Gather', [x, index], x.shape.slice(1), { axis: 0 }, elem);
  const tok = pick(tokens, iter, 'int64');
  const tgt = pick(targets, iter, 'int64');
  const params = sliceParams(b, layout, carried.params);
  const { loss, grads } = A === 1 ? flatStep(b, cfg, layout, params, tok, tgt) : accumulatedStep(bg, cfg, layout, params, tok, tgt, A);
  const step = emitAdamW(
    bg,
    {
      segments: SEGMENTS.map((s) => ({ p: carried.params[s], g: grads[s], m: carried.m[s], v: carried.v[s], decay: s === 'decay' })),
      lr: cast(bg, pick(lr, iter, 'float64'), precision),
      bias1: cast(bg, pick(bias1, count, 'float64'), precision),
      invSqrtBias2: cast(bg, pick(invSqrtBias2, count, 'float64'), precision),
    },
    adamw,
    precision,
  );
  bg.output(bg.op('Identity', [cond], [], {}, 'bool'));
  const next = { params: {}, m: {}, v: {} } as Record<StateFamily, Record<Segment, Value>>;
  SEGMENTS.forEach((s, i) => {
    next.params[s] = step.segments[i]!.p;
    next.m[s] = step.segments[i]!.m;
    next.v[s] = step.segments[i]!.v;
  });
  for (const f of STATE_FAMILIES) for (const s of SEGMENTS) bg.output(next[f][s]);
  bg.output(bg.op('Add', [count, bg.op('Cast', [step.applied], [], { to: 7 }, 'int64')], [], {}, 'int64'));
  bg.output(loss);
  bg.output(cast(bg, step.gradNorm, 'float64'));
  bg.output(step.applied);

  const zero = g.constant([0], [], 'int64', 'applied_zero');
  const initial = STATE_FAMILIES.flatMap((f) => SEGMENTS.map((s) => state[f][s]));
  // The Loop's outputs are the graph's outputs themselves (named here, no Identity in between), as in
  // the measured prototype: the CUDA provider then keeps the carried state on the device.
  const outs = g.node(
    'Loop',
    [steps, '', ...initial, zero],
    [
      ...STATE_FAMILIES.flatMap((f) => SEGMENTS.map((s) => ({ shape: state[f][s].shape, elem: 'float32' as const, name: windowNames.out(f, s) }))),
      { shape: [], elem: 'int64', name: windowNames.appliedCount },
      { shape: [K], elem: 'float32', name: windowNames.losses },
      { shape: [K], elem: 'float64', name: windowNames.gradNorms },
      { shape: [K], elem: 'bool', name: windowNames.applied },
    ],
    { body: { graph: bg, name: 'inner_step' } },
  );
  const n = STATE_FAMILIES.length * SEGMENTS.length + 1;
  outs.forEach((v, i) => g.output(i < n ? v : stepsDim(v)));
  return g.toBytes('crucible-gpt-window');
}

/** Flat float32 inputs for every state family and segment. */
function stateInputs(g: GraphBuilder, layout: FlatLayout, name: (f: StateFamily, s: Segment) => string): Record<StateFamily, Record<Segment, Value>> {
  const out = {} as Record<StateFamily, Record<Segment, Value>>;
  for (const f of STATE_FAMILIES) {
    out[f] = {} as Record<Segment, Value>;
    for (const s of SEGMENTS) out[f][s] = g.input(name(f, s), segmentShape(layout, s));
  }
  return out;
}

/**
 * The parameters as shaped tensors cut out of the flat segments, watched by the tape (table order).
 * `maxParts` bounds the outputs of one Split (WebGPU binds every tensor of a kernel as a storage buffer
 * and adapters allow as few as 8 per shader): larger cuts become a tree of Splits.
 */
export function sliceParams(t: Tape, layout: FlatLayout, flat: Record<Segment, Value>, maxParts = MAX_PARTS): Value[] {
  const g = t.g;
  const pieces = new Map<string, Value>();
  for (const s of SEGMENTS) {
    const slots = layout.slots.filter((x) => x.segment === s);
    const parts = splitTree(g, flat[s], slots.map((x) => x.rows), maxParts, layout.width);
    slots.forEach((x, i) => pieces.set(x.spec.name, t.watch(g.op('Reshape', [parts[i]!, g.int64s(x.spec.shape)], x.spec.shape))));
  }
  return layout.slots.map((x) => pieces.get(x.spec.name)!);
}

/** Gradients (table order) concatenated into the flat segments (Concats of at most `maxParts` inputs). */
export function concatGrads(g: GraphBuilder, layout: FlatLayout, grads: readonly Value[], maxParts = MAX_PARTS): Record<Segment, Value> {
  const out = {} as Record<Segment, Value>;
  const w = layout.width;
  for (const s of SEGMENTS) {
    const blocks = layout.slots.flatMap((x, i) => (x.segment === s ? [g.op('Reshape', [grads[i]!, g.int64s([x.rows, w])], [x.rows, w])] : []));
    out[s] = concatTree(g, blocks, maxParts);
  }
  return out;
}

/**
 * Most tensors one Split or Concat joins: above 32 onnxruntime's CUDA kernels stage per-call tables on
 * the host (see flatLayout.ts); the WebGPU graphs pass a smaller bound (storage buffers per shader).
 */
const MAX_PARTS = 32;

/** Groups of at most `max` consecutive items (max ≥ 2), as few as possible. */
function groups<T>(items: readonly T[], max: number): T[][] {
  const n = Math.ceil(items.length / max);
  const per = Math.ceil(items.length / n);
  return Array.from({ length: n }, (_, i) => items.slice(i * per, (i + 1) * per));
}

/** Cuts a (rows, width) matrix into blocks of the given row counts (along axis 0, in order). */
function splitTree(g: GraphBuilder, x: Value, rows: readonly number[], maxParts: number, width: number): Value[] {
  if (rows.length === 1) return [x];
  if (rows.length <= maxParts) return g.node('Split', [x, g.int64s(rows)], rows.map((n) => [n, width]), { axis: 0 });
  const parts = groups(rows, maxParts);
  const totals = parts.map((p) => p.reduce((a, b) => a + b, 0));
  return splitTree(g, x, totals, maxParts, width).flatMap((chunk, i) => splitTree(g, chunk, parts[i]!, maxParts, width));
}

/** Joins (rows_i, width) blocks along axis 0. */
function concatTree(g: GraphBuilder, xs: readonly Value[], maxParts: number): Value {
  if (xs.length === 1) return xs[0]!;
  const cat = (ys: readonly Value[]) => (ys.length === 1 ? ys[0]! : g.op('Concat', [...ys], [ys.reduce((n, y) => n + y.shape[0]!, 0), ys[0]!.shape[1]!], { axis: 0 }));
  if (xs.length <= maxParts) return cat(xs);
  return concatTree(g, groups(xs, maxParts).map(cat), maxParts);
}

function flatStep(t: Tape, config: GptConfig, layout: FlatLayout, params: Value[], tok: Value, tgt: Value): { loss: Value; grads: Record<Segment, Value> } {
  const { loss, grads } = emitTrainStep(t, config, params, tok, tgt);
  return { loss, grads: concatGrads(t.g, layout, grads) };
}

/**
 * Gradient accumulation: a nested Loop over the A micro-batches (A, B, T) of this step, each a whole
 * forward and backward pass whose activations are freed before the next, summing loss and gradients;
 * the step then uses their means (the gradient of the mean loss over all A·B sequences).
 */
function accumulatedStep(
  bg: GraphBuilder,
  config: GptConfig,
  layout: FlatLayout,
  params: Value[],
  tok: Value,
  tgt: Value,
  A: number,
): { loss: Value; grads: Record<Segment, Value> } {
  const m = new Tape('float32', { namePrefix: 'micro/' });
  const mg = m.g;
  const j = mg.input('micro/j', [], 'int64');
  const cond = mg.input('micro/cond', [], 'bool');
  const acc = Object.fromEntries(SEGMENTS.map((s) => [s, mg.input(`micro/acc.${s}`, segmentShape(layout, s))])) as Record<Segment, Value>;
  const lossSum = mg.input('micro/loss_sum', []);
  for (const p of params) m.watch(p);
  const pick = (x: Value) => mg.op('Gather', [x, j], x.shape.slice(1), { axis: 0 }, 'int64');
  const step = flatStep(m, config, layout, params, pick(tok), pick(tgt));
  mg.output(mg.op('Identity', [cond], [], {}, 'bool'));
  for (const s of SEGMENTS) mg.output(mg.op('Add', [acc[s], step.grads[s]], acc[s].shape));
  mg.output(mg.op('Add', [lossSum, step.loss], []));

  const zeros = SEGMENTS.map((s) => bg.op('ConstantOfShape', [bg.int64s(segmentShape(layout, s))], segmentShape(layout, s)));
  const sums = bg.node('Loop', [bg.constant([A], [], 'int64', 'micro_count'), '', ...zeros, bg.scalar(0)], [...zeros.map((z) => z.shape), []], {
    body: { graph: mg, name: 'micro_batch' },
  });
  const n = bg.scalar(A);
  const grads = Object.fromEntries(SEGMENTS.map((s, i) => [s, bg.op('Div', [sums[i]!, n], segmentShape(layout, s))])) as Record<Segment, Value>;
  return { loss: bg.op('Div', [sums[SEGMENTS.length]!, n], []), grads };
}

function cast(g: GraphBuilder, x: Value, elem: OptimizerPrecision): Value {
  return x.elem === elem ? x : g.op('Cast', [x], x.shape, { to: elem === 'float64' ? 11 : 1 }, elem);
}

/** Scan outputs have one entry per step actually run: their length is the `steps` input, not maxSteps. */
function stepsDim(v: Value): Value {
  return { ...v, dimNames: ['steps'] };
}
