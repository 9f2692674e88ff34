import { CrucibleError } from '@crucible/core';
import { createErrorFeedback, decodeTensor, type CodecConfig, type CompressedTensor, type ErrorFeedback, type ParamSpec } from '@crucible/codec';
import { decodeSafetensors, encodeSafetensors, encodeSafetensorsParts, type TensorF32 } from '@crucible/model';

/** Error-feedback buffers as safetensors, one F32 tensor per parameter, tagged so other files are refused. */
export const ERROR_FEEDBACK_KIND = 'crucible-error-feedback-v1';

export function encodeErrorFeedback(ef: ErrorFeedback): Uint8Array {
  return encodeSafetensors(tensorsOf(ef), { kind: ERROR_FEEDBACK_KIND });
}

/** The same file as parts to write one after the other; the data parts are views of the live buffers. */
export function errorFeedbackParts(ef: ErrorFeedback): Uint8Array[] {
  return encodeSafetensorsParts(tensorsOf(ef), { kind: ERROR_FEEDBACK_KIND });
}

function tensorsOf(ef: ErrorFeedback): Map<string, TensorF32> {
  const tensors = new Map<string, TensorF32>();
  for (const p of ef.params) tensors.set(p.name, { shape: p.shape, data: ef.buffers.get(p.name)! });
  return tensors;
}

/** Restores buffers for exactly `params` (names and shapes checked). */
export function decodeErrorFeedback(bytes: Uint8Array, params: readonly ParamSpec[]): ErrorFeedback {
  const decoded = decodeSafetensors(bytes);
  if (decoded.metadata.kind !== ERROR_FEEDBACK_KIND) {
    throw new CrucibleError('CHECKPOINT_INVALID', `not an error-feedback file (kind ${decoded.metadata.kind ?? 'missing'})`);
  }
  const ef = createErrorFeedback(params);
  if (decoded.tensors.size !== params.length) {
    throw new CrucibleError('CHECKPOINT_INVALID', `error-feedback file has ${decoded.tensors.size} tensors, the model has ${params.length}`);
  }
  for (const p of params) {
    const t = decoded.tensors.get(p.name);
    if (!t || t.shape.join(',') !== p.shape.join(',')) {
      throw new CrucibleError('CHECKPOINT_INVALID', `error-feedback tensor ${p.name} is missing or has another shape`, { details: { param: p.name } });
    }
    ef.buffers.get(p.name)!.set(t.data);
  }
  return ef;
}

/**
 * Puts an update that never reached storage back into the buffers: after e ← β·e + Δ − decode(c), adding
 * decode(c) leaves e = β·e + Δ, so the window's work is carried into the next update instead of lost.
 */
export function restoreUnsent(ef: ErrorFeedback, tensors: readonly CompressedTensor[], config: CodecConfig): void {
  for (const c of tensors) {
    const e = ef.buffers.get(c.name);
    if (!e) continue;
    const dense = decodeTensor(c, config);
    for (let i = 0; i < e.length; i++) e[i] = e[i]! + dense[i]!;
  }
}

export function cloneErrorFeedback(ef: ErrorFeedback): ErrorFeedback {
  const copy = createErrorFeedback(ef.params);
  for (const [name, b] of ef.buffers) copy.buffers.get(name)!.set(b);
  return copy;
}
