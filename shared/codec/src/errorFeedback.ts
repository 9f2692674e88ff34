import { CrucibleError } from '@crucible/core';
import type { CodecConfig } from './config.js';
import { compressWithFeedback } from './compress.js';
import type { CompressedTensor } from './compress.js';
import { numelOf } from './layout.js';

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The sender's error-feedback buffers, one fp32 array per parameter, kept locally and never sent. */
export interface ErrorFeedback {
  readonly params: readonly ParamSpec[];
  readonly buffers: ReadonlyMap<string, Float32Array>;
}

export function createErrorFeedback(params: readonly ParamSpec[]): ErrorFeedback {
  const buffers = new Map<string, Float32Array>();
  for (const p of params) {
    if (buffers.has(p.name)) throw new CrucibleError('CODEC', `duplicate parameter ${p.name}`, { details: { param: p.name } });
    buffers.set(p.name, new Float32Array(numelOf(p.shape)));
  }
  return { params: params.map((p) => ({ name: p.name, shape: [...p.shape] })), buffers };
}

/**
 * One SparseLoCo round for the sender, per parameter in table order:
 *   e ← β·e + Δ;  c = compress(e);  e ← e − decode(c)
 * so whatever top-k dropped and quantisation distorted is carried into later rounds. `deltas` holds the
 * pseudo-gradient Δ = θ_start − θ_end of every parameter. Mutates the buffers; returns the compressed
 * tensors to put on the wire.
 */
export function sparseLoCoStep(
  state: ErrorFeedback,
  deltas: ReadonlyMap<string, Float32Array> | Readonly<Record<string, Float32Array>>,
  config: CodecConfig,
): CompressedTensor[] {
  const get = (name: string): Float32Array | undefined =>
    deltas instanceof Map ? deltas.get(name) : (deltas as Readonly<Record<string, Float32Array>>)[name];
  const out: CompressedTensor[] = [];
  for (const p of state.params) {
    const e = state.buffers.get(p.name)!;
    const delta = get(p.name);
    if (delta === undefined || delta.length !== e.length) {
      throw new CrucibleError('CODEC', `pseudo-gradient for ${p.name} is missing or has the wrong size`, {
        details: { param: p.name, expected: e.length, got: delta?.length ?? null },
      });
    }
    // One pass over e per tensor instead of three (update, compress, subtract); same bits.
    out.push(compressWithFeedback(p.name, p.shape, e, delta, config.beta, config));
  }
  return out;
}
