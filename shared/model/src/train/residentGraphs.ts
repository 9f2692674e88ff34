import type { GptConfig } from '../gpt/config.js';
import { segmentShape, SEGMENTS, type FlatLayout } from '../gpt/flatLayout.js';
import { emitTrainStep, graphNames } from '../gpt/graphs.js';
import { Tape } from '../onnx/autodiff.js';
import { GraphBuilder } from '../onnx/graph.js';
import type { AdamWOptions } from '../optim/adamw.js';
import { emitAdamW, type OptimizerPrecision } from '../optim/adamwGraph.js';
import { concatGrads, sliceParams, STATE_FAMILIES, windowNames } from './windowGraph.js';

/**
 * The graphs of the resident route (WebGPU, where onnxruntime-node keeps outputs on the device between
 * runs but has no Loop kernel): one training step on flat parameters, and AdamW on flat state. The
 * state tensors keep the window graph's names.
 */
/** Most tensors one kernel may bind besides its input: WebGPU's default limit is 8 storage buffers a shader. */
const MAX_PARTS = 7;

export const residentNames = {
  grad: (segment: string) => `grad.${segment}`,
  gradNorm: 'grad_norm',
  applied: 'applied',
} as const;

/** Inputs: `params.<segment>`, tokens, targets (B,T). Outputs: `loss`, `grad.<segment>` (flat). Standard ops only. */
export function buildFlatTrainGraph(config: GptConfig, layout: FlatLayout, batch: number): Uint8Array {
  const t = new Tape('float32', { contribOps: false });
  const g = t.g;
  const flat = Object.fromEntries(SEGMENTS.map((s) => [s, g.input(windowNames.state('params', s), segmentShape(layout, s))])) as Record<(typeof SEGMENTS)[number], ReturnType<GraphBuilder['input']>>;
  const params = sliceParams(t, layout, flat, MAX_PARTS);
  const shape = [batch, config.blockSize];
  const { loss, grads } = emitTrainStep(t, config, params, g.input(graphNames.tokens, shape, 'int64'), g.input(graphNames.targets, shape, 'int64'));
  g.output(loss, graphNames.loss);
  const flatGrads = concatGrads(g, layout, grads, MAX_PARTS);
  for (const s of SEGMENTS) g.output(flatGrads[s], residentNames.grad(s));
  return g.toBytes('crucible-gpt-train-flat');
}

/**
 * One AdamW step (emitAdamW) on flat state. Inputs: `params|m|v.<segment>`, `grad.<segment>` (float32),
 * scalars `lr`, `bias1`, `inv_sqrt_bias2` in the arithmetic precision (float32 for WebGPU). Outputs:
 * `out.params|m|v.<segment>`, `grad_norm`, `applied`.
 */
export function buildFlatAdamWGraph(layout: FlatLayout, adamw: Required<AdamWOptions>, precision: OptimizerPrecision = 'float32'): Uint8Array {
  const g = new GraphBuilder('float32');
  const state = Object.fromEntries(STATE_FAMILIES.map((f) => [f, Object.fromEntries(SEGMENTS.map((s) => [s, g.input(windowNames.state(f, s), segmentShape(layout, s))]))]));
  const grads = Object.fromEntries(SEGMENTS.map((s) => [s, g.input(residentNames.grad(s), segmentShape(layout, s))]));
  const step = emitAdamW(
    g,
    {
      segments: SEGMENTS.map((s) => ({ p: state.params![s]!, g: grads[s]!, m: state.m![s]!, v: state.v![s]!, decay: s === 'decay' })),
      lr: g.input(windowNames.lr, [], precision),
      bias1: g.input(windowNames.bias1, [], precision),
      invSqrtBias2: g.input(windowNames.invSqrtBias2, [], precision),
    },
    adamw,
    precision,
  );
  SEGMENTS.forEach((s, i) => {
    g.output(step.segments[i]!.p, windowNames.out('params', s));
    g.output(step.segments[i]!.m, windowNames.out('m', s));
    g.output(step.segments[i]!.v, windowNames.out('v', s));
  });
  g.output(step.gradNorm, residentNames.gradNorm);
  g.output(step.applied, residentNames.applied);
  return g.toBytes('crucible-adamw-flat');
}

/** Copies the six state tensors: `params|m|v.<segment>` → `out.…` (moves them onto or off the device). */
export function buildStateCopyGraph(layout: FlatLayout): Uint8Array {
  const g = new GraphBuilder('float32');
  for (const f of STATE_FAMILIES) for (const s of SEGMENTS) g.output(g.input(windowNames.state(f, s), segmentShape(layout, s)), windowNames.out(f, s));
  return g.toBytes('crucible-state-copy');
}
