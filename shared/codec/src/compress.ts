import { CrucibleError } from '@crucible/core';
import type { CodecConfig } from './config.js';
import { chunkLayout, globalIndex, numelOf } from './layout.js';
import type { ChunkLayout } from './layout.js';
import { levels, quantize } from './quantize.js';
import { kthLargest } from './topk.js';

/** One tensor after top-k and quantisation: what goes on the wire, before bit-packing. */
export interface CompressedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** Chunk-local indices, ascending within each chunk, chunks in layout order (layout.k[j] per chunk). */
  readonly indices: Uint16Array;
  /** One quantisation code per kept value, aligned with `indices`. */
  readonly codes: Uint8Array;
  readonly shift: number;
  /** 2^bits entries. */
  readonly lut: Float32Array;
}

/** A decoded update: flat tensor positions and their values (positions are unique). */
export interface SparseTensor {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

/**
 * Top-k by magnitude in every chunk, then quantisation of the kept values. Ties at the threshold are
 * broken towards lower chunk-local indices, so the result is deterministic. Throws CODEC on a
 * non-finite input value or a shape that does not match.
 */
export function compressTensor(name: string, shape: readonly number[], values: Float32Array, config: CodecConfig): CompressedTensor {
  const layout = chunkLayout(shape, config);
  if (values.length !== layout.numel) {
    throw new CrucibleError('CODEC', `parameter ${name}: ${values.length} values for shape [${shape.join(', ')}]`, {
      details: { param: name, values: values.length, numel: layout.numel },
    });
  }
  const indices = new Uint16Array(layout.totalK);
  const kept = new Float32Array(layout.totalK);
  const buf = new Float32Array(layout.maxLength);
  const mag = new Float32Array(layout.maxLength);
  const scratch: Scratch = {
    sample: new Float32Array(SAMPLE),
    candMag: new Float32Array(layout.maxLength >> 2),
    candSel: new Float32Array(layout.maxLength >> 2),
    candIdx: new Uint16Array(layout.maxLength >> 2),
  };
  for (let j = 0; j < layout.chunks; j++) {
    const len = gather(values, layout, j, buf);
    let finite = 0;
    for (let l = 0; l < len; l++) {
      const v = buf[l]!;
      finite += v - v; // NaN for NaN or ±Infinity, 0 otherwise
      mag[l] = v < 0 ? -v : v;
    }
    if (finite !== 0) {
      throw new CrucibleError('CODEC', `parameter ${name}: non-finite value in chunk ${j}`, { details: { param: name, chunk: j } });
    }
    const k = layout.k[j]!;
    const start = layout.kOffset[j]!;
    if (!selectByCandidates(buf, mag, len, k, scratch, indices, kept, start)) selectByQuickselect(buf, mag, len, k, indices, kept, start);
  }
  const q = quantize(kept, config.bits, config.range);
  return { name, shape: [...shape], indices, codes: q.codes, shift: q.shift, lut: q.lut };
}

const SAMPLE = 128;

interface Scratch {
  readonly sample: Float32Array;
  readonly candMag: Float32Array;
  readonly candSel: Float32Array;
  readonly candIdx: Uint16Array;
}

/**
 * Keeps the k largest |values| of buf[0..len) in index order, ties at the threshold going to the lower
 * index. `mag` holds the magnitudes and is permuted.
 */
function selectByQuickselect(
  buf: Float32Array,
  mag: Float32Array,
  len: number,
  k: number,
  indices: Uint16Array,
  kept: Float32Array,
  start: number,
): void {
  const t = kthLargest(mag, len, k);
  let above = 0;
  for (let l = 0; l < len; l++) {
    const v = buf[l]!;
    if ((v < 0 ? -v : v) > t) above++;
  }
  let ties = k - above;
  let p = start;
  for (let l = 0; l < len; l++) {
    const v = buf[l]!;
    const a = v < 0 ? -v : v;
    if (a > t || (a === t && ties-- > 0)) {
      indices[p] = l;
      kept[p] = v;
      p++;
    }
  }
}

/**
 * The same selection, faster when k ≪ len: a strided sample gives a threshold guess well below the
 * k-th largest, one pass collects the candidates at or above it, and quickselect runs on those only.
 * Exact whenever at least k candidates are found (then every top-k element is among them); returns
 * false, having changed nothing, when the guess fails (too few or too many candidates).
 */
function selectByCandidates(
  buf: Float32Array,
  mag: Float32Array,
  len: number,
  k: number,
  scratch: Scratch,
  indices: Uint16Array,
  kept: Float32Array,
  start: number,
): boolean {
  if (len < 1024 || k * 16 > len) return false;
  const { sample, candMag, candSel, candIdx } = scratch;
  for (let s = 0; s < SAMPLE; s++) sample[s] = mag[((s * len) / SAMPLE) | 0]!;
  // About 4× the expected share of the top k in the sample, so the guess rarely lands above the k-th.
  const m = Math.min(SAMPLE, 4 * Math.ceil((k * SAMPLE) / len) + 4);
  const guess = kthLargest(sample, SAMPLE, m);
  const cap = len >> 2;
  let n = 0;
  for (let l = 0; l < len; l++) {
    const a = mag[l]!;
    if (a >= guess) {
      if (n === cap) return false;
      candMag[n] = a;
      candSel[n] = a;
      candIdx[n] = l;
      n++;
    }
  }
  if (n < k) return false;
  const t = kthLargest(candSel, n, k);
  let above = 0;
  for (let c = 0; c < n; c++) if (candMag[c]! > t) above++;
  let ties = k - above;
  let p = start;
  for (let c = 0; c < n; c++) {
    const a = candMag[c]!;
    if (a > t || (a === t && ties-- > 0)) {
      const l = candIdx[c]!;
      indices[p] = l;
      kept[p] = buf[l]!;
      p++;
    }
  }
  return true;
}

/** Copies chunk j of a tensor into buf (chunk-local order); returns its length. */
function gather(values: Float32Array, layout: ChunkLayout, j: number, buf: Float32Array): number {
  const len = layout.length[j]!;
  const start = layout.start[j]!;
  if (layout.rowStride === 0) {
    buf.set(values.subarray(start, start + len));
    return len;
  }
  const w = layout.width[j]!;
  const h = len / w;
  for (let r = 0; r < h; r++) {
    const from = start + r * layout.rowStride;
    buf.set(values.subarray(from, from + w), r * w);
  }
  return len;
}

/** The kept values at their flat positions in the tensor. */
export function decompressTensor(c: CompressedTensor, config: CodecConfig): SparseTensor {
  const layout = chunkLayout(c.shape, config);
  const level = levels(c.lut, c.shift);
  const n = layout.totalK;
  const indices = new Uint32Array(n);
  const values = new Float32Array(n);
  for (let j = 0; j < layout.chunks; j++) {
    const end = layout.kOffset[j + 1]!;
    for (let p = layout.kOffset[j]!; p < end; p++) {
      indices[p] = globalIndex(layout, j, c.indices[p]!);
      values[p] = level[c.codes[p]!]!;
    }
  }
  return { indices, values };
}

/** Scatters a sparse tensor into a dense one (zero elsewhere); `out` is overwritten when given. */
export function toDense(sparse: SparseTensor, numel: number, out: Float32Array = new Float32Array(numel)): Float32Array {
  out.fill(0);
  const { indices, values } = sparse;
  for (let p = 0; p < indices.length; p++) out[indices[p]!] = values[p]!;
  return out;
}

/** Dense decode of one compressed tensor. */
export function decodeTensor(c: CompressedTensor, config: CodecConfig): Float32Array {
  return toDense(decompressTensor(c, config), numelOf(c.shape));
}
