import { CrucibleError } from '@crucible/core';
import { decaysWeight } from '../optim/adamw.js';
import type { GptConfig } from './config.js';
import { numel, paramTable, type GptParams, type ParamSpec } from './params.js';

/**
 * The two flat segments a device-side trainer keeps its state in: every weight-decayed (2-D) parameter
 * in table order, then every other (1-D) one. A handful of large tensors instead of one per parameter
 * is what makes the optimizer cheap on a GPU (a few dozen kernels a step instead of ~1,500 on the 8-layer
 * model) and the host↔device copies few; two segments keep weight decay a scalar multiply.
 *
 * In graphs a segment is a matrix (rows, width = nEmbd): every parameter's size is a multiple of nEmbd,
 * so each parameter is a block of whole rows. Cutting and joining then works along a short axis:
 * onnxruntime's CUDA Split and Concat build a host-side lookup table as long as the axis they work on
 * and copy it to the GPU on every call; along a 25M-long vector that cost ~350 ms per step (measured
 * on an H200), along 49k rows it is negligible.
 */
export type Segment = 'decay' | 'nodecay';
export const SEGMENTS: readonly Segment[] = ['decay', 'nodecay'];

export interface FlatSlot {
  readonly spec: ParamSpec;
  readonly segment: Segment;
  /** Offset of the parameter's first value in its segment. */
  readonly offset: number;
  readonly size: number;
  /** size / width: the rows the parameter takes in its segment's matrix. */
  readonly rows: number;
}

export interface FlatLayout {
  /** One slot per parameter, in paramTable order. */
  readonly slots: readonly FlatSlot[];
  /** Values per segment. */
  readonly sizes: Readonly<Record<Segment, number>>;
  /** Row length of the segments' matrices (nEmbd). */
  readonly width: number;
}

export function flatLayout(config: GptConfig): FlatLayout {
  const width = config.nEmbd;
  const sizes: Record<Segment, number> = { decay: 0, nodecay: 0 };
  const slots = paramTable(config).map((spec) => {
    const segment: Segment = decaysWeight(spec.shape) ? 'decay' : 'nodecay';
    const size = numel(spec.shape);
    if (size % width !== 0) throw new CrucibleError('INTERNAL', `parameter ${spec.name} (${size} values) is not a whole number of rows of ${width}`);
    const slot = { spec, segment, offset: sizes[segment], size, rows: size / width };
    sizes[segment] += size;
    return slot;
  });
  return { slots, sizes, width };
}

/** A segment's shape in graphs: (rows, width). */
export function segmentShape(layout: FlatLayout, segment: Segment): [number, number] {
  return [layout.sizes[segment] / layout.width, layout.width];
}

/** Flat segments of one tensor family (parameters, a moment): a Float32Array per segment. */
export type FlatTensors = Record<Segment, Float32Array>;

export function allocFlat(layout: FlatLayout): FlatTensors {
  return { decay: new Float32Array(layout.sizes.decay), nodecay: new Float32Array(layout.sizes.nodecay) };
}

/** Per-parameter views (no copies) of flat segments, in table order: writing a view writes the segment. */
export function flatViews(layout: FlatLayout, flat: FlatTensors): GptParams {
  checkFlat(layout, flat);
  return new Map(layout.slots.map((s) => [s.spec.name, flat[s.segment].subarray(s.offset, s.offset + s.size)]));
}

/** Per-parameter views by name (as AdamWState's moment records). */
export function flatRecord(layout: FlatLayout, flat: FlatTensors): Record<string, Float32Array> {
  return Object.fromEntries(flatViews(layout, flat));
}

function checkFlat(layout: FlatLayout, flat: FlatTensors): void {
  for (const seg of SEGMENTS) {
    if (flat[seg].length !== layout.sizes[seg]) {
      throw new CrucibleError('INTERNAL', `flat segment ${seg} has ${flat[seg].length} values, the layout ${layout.sizes[seg]}`);
    }
  }
}
