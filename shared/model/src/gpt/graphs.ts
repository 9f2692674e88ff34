import { Tape } from '../onnx/autodiff.js';
import type { FloatType, GraphBuilder, Value } from '../onnx/graph.js';
import { causalSelfAttention } from '../onnx/ops/attention.js';
import { crossEntropy, crossEntropyPerPosition } from '../onnx/ops/crossEntropy.js';
import { add, reshape } from '../onnx/ops/elementwise.js';
import { embedding } from '../onnx/ops/embedding.js';
import { gelu } from '../onnx/ops/gelu.js';
import { layerNorm } from '../onnx/ops/layerNorm.js';
import { linear } from '../onnx/ops/linear.js';
import { validateConfig, vocabSizeOf, type GptConfig } from './config.js';
import { paramTable } from './params.js';

/** Graph input and output names shared by the builders and the runtime. */
export const graphNames = {
  tokens: 'tokens',
  targets: 'targets',
  loss: 'loss',
  sequenceLoss: 'sequence_loss',
  logits: 'logits',
  grad: (param: string) => `grad.${param}`,
} as const;

export interface GraphOptions {
  /** Sequences per batch. */
  batch: number;
  /** Tensor precision; float64 exists for gradient tests. Default float32. */
  float?: FloatType;
  /** Allow onnxruntime's contrib ops (FusedMatMul); false for the WebGPU execution provider. Default true. */
  contribOps?: boolean;
}

/**
 * The GPT forward pass to logits (B·T, V) for tokens (B,T) int64, reading the parameters `params` (in
 * paramTable order: graph inputs, or values sliced out of a flat vector and watched by the tape).
 */
function forward(t: Tape, config: GptConfig, tokens: Value, params: readonly Value[]): Value {
  const { nLayer, nEmbd: C, nHead: H, blockSize: T } = validateConfig(config);
  const B = tokens.shape[0]!;
  const N = B * T;
  const table = paramTable(config);
  const p = new Map(table.map((spec, i) => [spec.name, params[i]!]));
  const w = (name: string) => p.get(name)!;

  const ids = flatIds(t.g, tokens, N); // (N)
  const tok = embedding(t, w('wte.weight'), ids); // (N,C)
  let x = reshape(t, add(t, reshape(t, tok, [B, T, C]), w('wpe.weight')), [N, C]); // (N,C)

  for (let i = 0; i < nLayer; i++) {
    const h = `h.${i}`;
    // attention
    const a = layerNorm(t, x, w(`${h}.ln_1.weight`), w(`${h}.ln_1.bias`)); // (N,C)
    const qkv = linear(t, a, w(`${h}.attn.c_attn.weight`), w(`${h}.attn.c_attn.bias`)); // (N,3C)
    const y = causalSelfAttention(t, qkv, B, T, H); // (N,C)
    x = add(t, x, linear(t, y, w(`${h}.attn.c_proj.weight`), w(`${h}.attn.c_proj.bias`))); // (N,C)
    // MLP
    const m = layerNorm(t, x, w(`${h}.ln_2.weight`), w(`${h}.ln_2.bias`)); // (N,C)
    const f = gelu(t, linear(t, m, w(`${h}.mlp.c_fc.weight`), w(`${h}.mlp.c_fc.bias`))); // (N,4C)
    x = add(t, x, linear(t, f, w(`${h}.mlp.c_proj.weight`), w(`${h}.mlp.c_proj.bias`))); // (N,C)
  }
  const xf = layerNorm(t, x, w('ln_f.weight'), w('ln_f.bias')); // (N,C)
  return linear(t, xf, w('wte.weight'), undefined, true); // (N,V), tied to the token embedding
}

function flatIds(g: GraphBuilder, ids: Value, n: number): Value {
  return g.op('Reshape', [ids, g.int64s([n])], [n], {}, 'int64');
}

/** Parameters as graph inputs named after the table, in table order. */
function paramInputs(t: Tape, config: GptConfig): Value[] {
  return paramTable(config).map((p) => t.param(p.name, p.shape));
}

/**
 * One training batch emitted into `t`: the mean cross-entropy `loss` of tokens/targets (B,T) int64 and
 * the gradient of every parameter in `params` (table order, each requiring gradients). The train graph
 * and the body of the window Loop are both built from this.
 */
export function emitTrainStep(t: Tape, config: GptConfig, params: readonly Value[], tokens: Value, targets: Value): { loss: Value; grads: Value[] } {
  const logits = forward(t, config, tokens, params);
  const loss = crossEntropy(t, logits, flatIds(t.g, targets, logits.shape[0]!));
  return { loss, grads: t.backward(loss, params) };
}

/**
 * Train graph. Inputs: parameters, tokens (B,T), targets (B,T) int64. Outputs: `loss` (scalar mean
 * cross-entropy over all B·T positions, natural log) then `grad.<name>` for every parameter in table order.
 */
export function buildTrainGraph(config: GptConfig, options: GraphOptions): Uint8Array {
  const t = new Tape(options.float ?? 'float32', { contribOps: options.contribOps ?? true });
  const params = paramInputs(t, config);
  const shape = [options.batch, config.blockSize];
  const tokens = t.g.input(graphNames.tokens, shape, 'int64');
  const targets = t.g.input(graphNames.targets, shape, 'int64');
  const { loss, grads } = emitTrainStep(t, config, params, tokens, targets);
  t.g.output(loss, graphNames.loss);
  params.forEach((p, i) => t.g.output(grads[i]!, graphNames.grad(p.name)));
  return t.g.toBytes('crucible-gpt-train');
}

/** Eval graph. Inputs: parameters, tokens, targets. Output: `sequence_loss` (B), each sequence's mean loss. */
export function buildEvalGraph(config: GptConfig, options: GraphOptions): Uint8Array {
  const t = new Tape(options.float ?? 'float32', { contribOps: options.contribOps ?? true });
  const g = t.g;
  const [B, T] = [options.batch, config.blockSize];
  const params = paramInputs(t, config);
  const logits = forward(t, config, g.input(graphNames.tokens, [B, T], 'int64'), params);
  const targets = flatIds(g, g.input(graphNames.targets, [B, T], 'int64'), B * T);
  const perPos = g.op('Reshape', [crossEntropyPerPosition(g, logits, targets), g.int64s([B, T])], [B, T]);
  g.output(g.op('ReduceMean', [perPos], [B], { axes: [1], keepdims: 0 }), graphNames.sequenceLoss);
  return g.toBytes('crucible-gpt-eval');
}

/** Logits graph. Inputs: parameters, tokens. Output: `logits` (B,T,V). */
export function buildLogitsGraph(config: GptConfig, options: GraphOptions): Uint8Array {
  const t = new Tape(options.float ?? 'float32', { contribOps: options.contribOps ?? true });
  const g = t.g;
  const params = paramInputs(t, config);
  const logits = forward(t, config, g.input(graphNames.tokens, [options.batch, config.blockSize], 'int64'), params);
  g.output(g.op('Reshape', [logits, g.int64s([options.batch, config.blockSize, vocabSizeOf(config)])], [options.batch, config.blockSize, vocabSizeOf(config)]), graphNames.logits);
  return g.toBytes('crucible-gpt-logits');
}
