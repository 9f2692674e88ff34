import { CrucibleError } from '@crucible/core';
import { vocabSizeOf, type GptConfig } from './config.js';

/** One parameter tensor: its checkpoint name and shape. Weights are (in, out) so y = x @ W + b. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Parameters by name, always in paramTable() order (Map keeps insertion order). */
export type GptParams = Map<string, Float32Array>;

/** The single table of parameter names and shapes, in canonical order. */
export function paramTable(config: GptConfig): ParamSpec[] {
  const { nLayer: L, nEmbd: C, blockSize: T } = config;
  const table: ParamSpec[] = [
    { name: 'wte.weight', shape: [vocabSizeOf(config), C] },
    { name: 'wpe.weight', shape: [T, C] },
  ];
  for (let i = 0; i < L; i++) {
    const h = `h.${i}`;
    table.push(
      { name: `${h}.ln_1.weight`, shape: [C] },
      { name: `${h}.ln_1.bias`, shape: [C] },
      { name: `${h}.attn.c_attn.weight`, shape: [C, 3 * C] },
      { name: `${h}.attn.c_attn.bias`, shape: [3 * C] },
      { name: `${h}.attn.c_proj.weight`, shape: [C, C] },
      { name: `${h}.attn.c_proj.bias`, shape: [C] },
      { name: `${h}.ln_2.weight`, shape: [C] },
      { name: `${h}.ln_2.bias`, shape: [C] },
      { name: `${h}.mlp.c_fc.weight`, shape: [C, 4 * C] },
      { name: `${h}.mlp.c_fc.bias`, shape: [4 * C] },
      { name: `${h}.mlp.c_proj.weight`, shape: [4 * C, C] },
      { name: `${h}.mlp.c_proj.bias`, shape: [C] },
    );
  }
  table.push({ name: 'ln_f.weight', shape: [C] }, { name: 'ln_f.bias', shape: [C] });
  return table;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Total number of parameters (the tied output head adds none). */
export function paramCount(config: GptConfig): number {
  return paramTable(config).reduce((n, p) => n + numel(p.shape), 0);
}

/** Concatenates parameters in table order into one vector. */
export function flattenParams(config: GptConfig, params: GptParams): Float32Array {
  const table = paramTable(config);
  const out = new Float32Array(table.reduce((n, p) => n + numel(p.shape), 0));
  let off = 0;
  for (const p of checkParams(config, params)) {
    out.set(p.data, off);
    off += p.data.length;
  }
  return out;
}

/** Splits a table-order vector into named parameters (views are copied, so the vector may be reused). */
export function unflattenParams(config: GptConfig, flat: Float32Array): GptParams {
  const table = paramTable(config);
  const total = table.reduce((n, p) => n + numel(p.shape), 0);
  if (flat.length !== total) throw new CrucibleError('MODEL', `expected ${total} parameters, got ${flat.length}`);
  const out: GptParams = new Map();
  let off = 0;
  for (const p of table) {
    const n = numel(p.shape);
    out.set(p.name, flat.slice(off, off + n));
    off += n;
  }
  return out;
}

/**
 * Checks that `params` holds exactly the table's names with the right sizes and returns them in
 * table order. Throws CrucibleError('CHECKPOINT_INVALID') naming the first problem.
 */
export function checkParams(config: GptConfig, params: ReadonlyMap<string, Float32Array>): { spec: ParamSpec; data: Float32Array }[] {
  const table = paramTable(config);
  const out = table.map((spec) => {
    const data = params.get(spec.name);
    if (data === undefined) throw new CrucibleError('CHECKPOINT_INVALID', `missing parameter ${spec.name}`);
    if (data.length !== numel(spec.shape)) {
      throw new CrucibleError('CHECKPOINT_INVALID', `parameter ${spec.name} has ${data.length} values, expected shape [${spec.shape}]`);
    }
    return { spec, data };
  });
  if (params.size !== table.length) {
    const known = new Set(table.map((p) => p.name));
    const extra = [...params.keys()].find((k) => !known.has(k));
    throw new CrucibleError('CHECKPOINT_INVALID', `unexpected parameter ${extra}`);
  }
  return out;
}
