import { CrucibleError } from '@crucible/core';
import { vocabSizeOf } from '../gpt/config.js';
import type { GptParams } from '../gpt/params.js';
import type { GptSession } from '../session/gptSession.js';

export interface SampleOptions {
  /** Tokens to generate. */
  maxTokens: number;
  /** Softmax temperature; 0 picks the most likely token. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 = all). Default 0. */
  topK?: number;
  /** Uniform random numbers in [0,1) that drive sampling (e.g. a seeded generator). */
  random: () => number;
  /** Called with each new token as it is generated. */
  onToken?: (token: number) => void;
}

/**
 * Autoregressive generation with a session holding the logits graph at batch 1: the context is the last
 * blockSize tokens, right-padded with zeros, and the next token is drawn from the logits at the last real
 * position (causal attention makes the padding invisible to it).
 */
export async function sampleTokens(session: GptSession, params: GptParams, prompt: ArrayLike<number>, options: SampleOptions): Promise<number[]> {
  if (session.batch !== 1) throw new CrucibleError('INTERNAL', 'sampling needs a session built with batch 1');
  if (prompt.length === 0) throw new CrucibleError('USAGE', 'the prompt must not be empty');
  const T = session.config.blockSize;
  const temperature = options.temperature ?? 1;
  const topK = options.topK ?? 0;
  const V = vocabSizeOf(session.config);
  const out = Array.from(prompt);
  const window = new Int32Array(T);
  for (let n = 0; n < options.maxTokens; n++) {
    const ctx = out.slice(-T);
    window.fill(0);
    window.set(ctx);
    const logits = await session.logits(params, window);
    const row = logits.subarray((ctx.length - 1) * V, ctx.length * V);
    const next = pick(row, temperature, topK, options.random());
    out.push(next);
    options.onToken?.(next);
  }
  return out.slice(prompt.length);
}

/** Draws one index from softmax(logits / temperature) restricted to the top k, using uniform u. */
export function pick(logits: Float32Array, temperature: number, topK: number, u: number): number {
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
  if (temperature <= 0) return order[0]!;
  const kept = topK > 0 ? order.slice(0, topK) : order;
  const max = logits[kept[0]!]!;
  const weights = kept.map((i) => Math.exp((logits[i]! - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = u * total;
  for (let j = 0; j < kept.length; j++) {
    r -= weights[j]!;
    if (r < 0) return kept[j]!;
  }
  return kept[kept.length - 1]!;
}
