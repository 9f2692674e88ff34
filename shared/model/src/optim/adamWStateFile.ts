import { CrucibleError } from '@crucible/core';
import { decodeSafetensors, encodeSafetensors, encodeSafetensorsParts } from '../safetensors/index.js';
import type { TensorF32 } from '../safetensors/index.js';
import type { AdamW, AdamWState } from './adamw.js';

/** What a state file is written from: the host AdamW or a device trainer's FlatOptimizerState. */
export type AdamWStateSource = Pick<AdamW, 'params' | 'options' | 'viewState'>;

/** Marks a safetensors file as AdamW state (metadata `kind`), so it is never mistaken for a model checkpoint. */
export const ADAMW_STATE_KIND = 'crucible-adamw-state-v1';

/**
 * AdamW state as a safetensors file: tensors `m.<param>` and `v.<param>` with the parameter's shape,
 * metadata {kind: ADAMW_STATE_KIND, step: decimal string, options: JSON of the hyperparameters}.
 */
export function encodeAdamWState(optimizer: AdamWStateSource): Uint8Array {
  const { tensors, metadata } = stateFile(optimizer);
  return encodeSafetensors(tensors, metadata);
}

/**
 * The same file as parts to write one after the other (see encodeSafetensorsParts): the moments are
 * views of the optimizer's own arrays, not copies, so write the parts before its next update.
 */
export function encodeAdamWStateParts(optimizer: AdamWStateSource): Uint8Array[] {
  const { tensors, metadata } = stateFile(optimizer);
  return encodeSafetensorsParts(tensors, metadata);
}

function stateFile(optimizer: AdamWStateSource): { tensors: Map<string, TensorF32>; metadata: Record<string, string> } {
  // A view, not exportState(): the encoder copies (or writes) the bytes anyway.
  const state = optimizer.viewState();
  const tensors = new Map<string, TensorF32>();
  for (const p of optimizer.params) {
    tensors.set(`m.${p.name}`, { shape: p.shape, data: state.m[p.name]! });
    tensors.set(`v.${p.name}`, { shape: p.shape, data: state.v[p.name]! });
  }
  return { tensors, metadata: { kind: ADAMW_STATE_KIND, step: String(state.step), options: JSON.stringify(optimizer.options) } };
}

/** Parses a file written by encodeAdamWState; pass the result to AdamW.importState (which checks sizes). */
export function decodeAdamWState(bytes: Uint8Array): AdamWState {
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.kind !== ADAMW_STATE_KIND) {
    throw new CrucibleError('CHECKPOINT_INVALID', `not an AdamW state file (kind ${metadata.kind ?? 'missing'}, expected ${ADAMW_STATE_KIND})`);
  }
  const step = Number(metadata.step);
  if (metadata.step === undefined || !/^\d+$/.test(metadata.step) || !Number.isSafeInteger(step)) {
    throw new CrucibleError('CHECKPOINT_INVALID', `AdamW state has an invalid step ${metadata.step ?? 'missing'}`);
  }
  const m: [string, Float32Array][] = [];
  const v: [string, Float32Array][] = [];
  for (const [name, t] of tensors) {
    const kind = name.slice(0, 2);
    if (kind === 'm.') m.push([name.slice(2), t.data]);
    else if (kind === 'v.') v.push([name.slice(2), t.data]);
    else throw new CrucibleError('CHECKPOINT_INVALID', `AdamW state has an unexpected tensor ${name}`);
  }
  return { step, m: Object.fromEntries(m), v: Object.fromEntries(v) };
}
