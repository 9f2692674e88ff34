import { CrucibleError } from '@crucible/core';
import { GraphBuilder, type FloatType, type GraphBuilderOptions, type Value } from './graph.js';

/**
 * Given the gradients of an op's outputs (undefined when an output does not reach the loss) and which
 * inputs need a gradient, emits the backward nodes and returns one gradient per input.
 */
export type BackwardFn = (gradOutputs: readonly (Value | undefined)[], needs: readonly boolean[]) => readonly (Value | undefined)[];

interface TapeEntry {
  inputs: readonly Value[];
  outputs: readonly Value[];
  backward: BackwardFn;
}

/**
 * Reverse-mode automatic differentiation over a GraphBuilder. Ops emit their forward nodes and record
 * a backward rule; backward() replays the tape in reverse, emitting gradient nodes into the same graph
 * and summing the contributions of a value used more than once.
 */
export class Tape {
  readonly g: GraphBuilder;
  private readonly entries: TapeEntry[] = [];
  private readonly requiring = new Set<string>();

  constructor(float: FloatType = 'float32', options: GraphBuilderOptions = {}) {
    this.g = new GraphBuilder(float, options);
  }

  /** A graph input that gradients are computed for. */
  param(name: string, shape: readonly number[]): Value {
    const v = this.g.input(name, shape);
    this.requiring.add(v.name);
    return v;
  }

  /**
   * Marks a value computed inside the graph (not an input) as one that gradients are computed for, such
   * as a parameter sliced out of a flat parameter vector. Call it before any op reads the value.
   */
  watch(v: Value): Value {
    this.requiring.add(v.name);
    return v;
  }

  requiresGrad(v: Value): boolean {
    return this.requiring.has(v.name);
  }

  /** Records an op's backward rule when any input needs a gradient. */
  record(inputs: readonly Value[], outputs: readonly Value[], backward: BackwardFn): void {
    if (!inputs.some((v) => this.requiring.has(v.name))) return;
    for (const o of outputs) this.requiring.add(o.name);
    this.entries.push({ inputs, outputs, backward });
  }

  /**
   * Emits the backward pass of `loss` (seeded with `seed`, default 1) and returns the gradient value of
   * each requested value, in the order given. Values that do not influence the loss get zeros.
   */
  backward(loss: Value, wrt: readonly Value[], seed?: Value): Value[] {
    const grads = new Map<string, Value>();
    grads.set(loss.name, seed ?? this.g.constant(new Array(loss.shape.reduce((a, b) => a * b, 1)).fill(1), loss.shape, this.g.float, 'seed'));
    for (let e = this.entries.length - 1; e >= 0; e--) {
      const entry = this.entries[e]!;
      const gradOutputs = entry.outputs.map((o) => grads.get(o.name));
      if (gradOutputs.every((gr) => gr === undefined)) continue;
      const needs = entry.inputs.map((v) => this.requiring.has(v.name));
      const gradInputs = entry.backward(gradOutputs, needs);
      entry.inputs.forEach((input, i) => {
        const gi = gradInputs[i];
        if (!needs[i] || gi === undefined) return;
        if (gi.shape.join() !== input.shape.join()) {
          throw new CrucibleError('INTERNAL', `gradient of ${input.name} has shape [${gi.shape}], expected [${input.shape}]`);
        }
        const prev = grads.get(input.name);
        grads.set(input.name, prev === undefined ? gi : this.g.op('Add', [prev, gi], input.shape));
      });
    }
    return wrt.map((v) => grads.get(v.name) ?? this.g.constant(new Float64Array(v.shape.reduce((a, b) => a * b, 1)), v.shape, this.g.float, 'zeros'));
  }
}
