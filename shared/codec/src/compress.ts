import { CrucibleError } from '@crucible/core';
import type { CodecConfig } from './config.js';
import { globalIndex, numelOf, sharedChunkLayout } from './layout.js';
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
  return compressChunks(name, shape, values, null, 0, config);
}

/**
 * The sender's half of one error-feedback round for one tensor, fused into a single pass over memory:
 *   e ← β·e + Δ;  c = compressTensor(e);  e ← e − decode(c)
 * with exactly the arithmetic (and so the bits) of doing the three steps one after the other. `e` is
 * updated in place; returns c. Throws CODEC like compressTensor (e is then partly updated).
 */
export function compressWithFeedback(
  name: string,
  shape: readonly number[],
  e: Float32Array,
  delta: Float32Array,
  beta: number,
  config: CodecConfig,
): CompressedTensor {
  if (delta.length !== e.length) {
    throw new CrucibleError('CODEC', `pseudo-gradient for ${name} has the wrong size`, {
      details: { param: name, expected: e.length, got: delta.length },
    });
  }
  return compressChunks(name, shape, e, delta, beta, config);
}

const SAMPLE = 128;
const MAX_FLOAT32 = 3.4028234663852886e38;

/**
 * Working memory of compression, reused from call to call (the codec is synchronous, so one set is
 * never in use twice at once): allocating it per tensor cost more than the selection itself.
 */
interface Scratch {
  /** A chunk's values and magnitudes (layout.maxLength). */
  readonly buf: Float32Array;
  readonly mag: Float32Array;
  readonly sample: Float32Array;
  /** Candidates of the sampled threshold (maxLength / 4). */
  readonly candMag: Float32Array;
  readonly candSel: Float32Array;
  readonly candVal: Float32Array;
  readonly candIdx: Uint16Array;
  /** Per kept value of the tensor (layout.totalK): its value and its flat position. */
  readonly kept: Float32Array;
  readonly where: Uint32Array;
}

function makeScratch(maxLength: number, totalK: number): Scratch {
  const cands = maxLength >> 2;
  return {
    buf: new Float32Array(maxLength),
    mag: new Float32Array(maxLength),
    sample: new Float32Array(SAMPLE),
    candMag: new Float32Array(cands),
    candSel: new Float32Array(cands),
    candVal: new Float32Array(cands),
    candIdx: new Uint16Array(cands),
    kept: new Float32Array(totalK),
    where: new Uint32Array(totalK),
  };
}

let scratch = makeScratch(0, 0);

function scratchFor(layout: ChunkLayout): Scratch {
  if (scratch.buf.length < layout.maxLength || scratch.kept.length < layout.totalK) {
    scratch = makeScratch(Math.max(scratch.buf.length, layout.maxLength), Math.max(scratch.kept.length, layout.totalK));
  }
  return scratch;
}

/**
 * compressTensor over `values`; with `delta`, each value is first replaced by β·value + Δ as it is read
 * (written back), and after quantisation the decoded kept values are subtracted from it.
 */
function compressChunks(
  name: string,
  shape: readonly number[],
  values: Float32Array,
  delta: Float32Array | null,
  beta: number,
  config: CodecConfig,
): CompressedTensor {
  const layout = sharedChunkLayout(shape, config);
  if (values.length !== layout.numel) {
    throw new CrucibleError('CODEC', `parameter ${name}: ${values.length} values for shape [${shape.join(', ')}]`, {
      details: { param: name, values: values.length, numel: layout.numel },
    });
  }
  const s = scratchFor(layout);
  const indices = new Uint16Array(layout.totalK);
  for (let j = 0; j < layout.chunks; j++) {
    const len = layout.length[j]!;
    const k = layout.k[j]!;
    let pending = delta;
    if (len >= 1024 && k * 16 <= len) {
      const found = selectByCandidates(values, pending, beta, layout, j, s, indices, name);
      if (found !== 'unsampled') pending = null; // the chunk has been read, and updated when there is a delta
      if (found === 'selected') continue;
    }
    if (!gather(values, pending, beta, layout, j, s.buf, s.mag)) {
      throw new CrucibleError('CODEC', `parameter ${name}: non-finite value in chunk ${j}`, { details: { param: name, chunk: j } });
    }
    selectByQuickselect(s.buf, s.mag, len, k, layout, j, indices, s);
  }
  const kept = s.kept.subarray(0, layout.totalK);
  const q = quantize(kept, config.bits, config.range);
  if (delta !== null) {
    // e ← e − decode(c), without building the SparseTensor decompressTensor would return.
    const level = levels(q.lut, q.shift);
    const { where } = s;
    const codes = q.codes;
    for (let p = 0; p < codes.length; p++) {
      const i = where[p]!;
      values[i] = values[i]! - level[codes[p]!]!;
    }
  }
  return { name, shape: [...shape], indices, codes: q.codes, shift: q.shift, lut: q.lut };
}

/** Records kept value p: chunk-local index l of chunk j, value v. */
function keep(layout: ChunkLayout, j: number, l: number, v: number, p: number, indices: Uint16Array, s: Scratch): void {
  indices[p] = l;
  s.kept[p] = v;
  s.where[p] = globalIndex(layout, j, l);
}

/**
 * Keeps the k largest |values| of chunk j (in buf[0..len), magnitudes in mag) in index order, ties at
 * the threshold going to the lower index. `mag` is permuted.
 */
function selectByQuickselect(
  buf: Float32Array,
  mag: Float32Array,
  len: number,
  k: number,
  layout: ChunkLayout,
  j: number,
  indices: Uint16Array,
  s: Scratch,
): void {
  const t = kthLargest(mag, len, k);
  let above = 0;
  for (let l = 0; l < len; l++) if (Math.abs(buf[l]!) > t) above++;
  let ties = k - above;
  let p = layout.kOffset[j]!;
  for (let l = 0; l < len; l++) {
    const v = buf[l]!;
    const a = Math.abs(v);
    if (a > t || (a === t && ties-- > 0)) keep(layout, j, l, v, p++, indices, s);
  }
}

/**
 * The same selection, faster when k ≪ len, reading the chunk once: a strided sample gives a threshold
 * guess well below the k-th largest, one pass (applying the error-feedback update when there is a
 * delta) collects the candidates at or above it, and quickselect runs on those only. Exact whenever at
 * least k candidates are found (then every top-k element is among them). Returns 'selected'; or
 * 'read' when the guess failed (too few or too many candidates) after the chunk was read (and updated);
 * or 'unsampled' when the sample holds a non-finite value and nothing was changed.
 */
function selectByCandidates(
  values: Float32Array,
  delta: Float32Array | null,
  beta: number,
  layout: ChunkLayout,
  j: number,
  s: Scratch,
  indices: Uint16Array,
  name: string,
): 'selected' | 'read' | 'unsampled' {
  const len = layout.length[j]!;
  const k = layout.k[j]!;
  const { sample, candMag, candSel, candVal, candIdx } = s;
  for (let q = 0; q < SAMPLE; q++) {
    const i = globalIndex(layout, j, ((q * len) / SAMPLE) | 0);
    const a = Math.abs(delta === null ? values[i]! : Math.fround(beta * values[i]! + delta[i]!));
    if (!(a <= MAX_FLOAT32)) return 'unsampled'; // NaN or ±∞
    sample[q] = a;
  }
  // About 4× the expected share of the top k in the sample, so the guess rarely lands above the k-th.
  const m = Math.min(SAMPLE, 4 * Math.ceil((k * SAMPLE) / len) + 4);
  const guess = kthLargest(sample, SAMPLE, m);
  const cap = len >> 2;
  const w = layout.rowStride === 0 ? len : layout.width[j]!;
  const rows = len / w;
  const start = layout.start[j]!;
  let n = 0;
  let bad = false;
  // Branch-free on the sign (Math.abs, not a ternary: signs are random, so that branch mispredicts
  // half the time), and no running sum to test finiteness (a loop-carried dependency): NaN fails both
  // comparisons, ∞ passes the first. Candidates are rare (≈ 10 %), so their branch predicts well.
  // The scan is written out twice (with and without the error-feedback update) to keep that test out
  // of the per-element loop.
  for (let r = 0; r < rows; r++) {
    const from = start + r * layout.rowStride;
    const to = from + w;
    const local = r * w - from; // chunk-local index of tensor position i is i + local
    if (delta === null) {
      for (let i = from; i < to; i++) {
        const v = values[i]!;
        const a = Math.abs(v);
        if (a >= guess) {
          if (a === Infinity) bad = true;
          if (n < cap) {
            candMag[n] = a;
            candVal[n] = v;
            candIdx[n] = i + local;
          }
          n++;
        } else if (!(a < guess)) bad = true;
      }
    } else {
      for (let i = from; i < to; i++) {
        const v = Math.fround(beta * values[i]! + delta[i]!);
        values[i] = v;
        const a = Math.abs(v);
        if (a >= guess) {
          if (a === Infinity) bad = true;
          if (n < cap) {
            candMag[n] = a;
            candVal[n] = v;
            candIdx[n] = i + local;
          }
          n++;
        } else if (!(a < guess)) bad = true;
      }
    }
  }
  if (bad) {
    throw new CrucibleError('CODEC', `parameter ${name}: non-finite value in chunk ${j}`, { details: { param: name, chunk: j } });
  }
  if (n > cap || n < k) return 'read';
  candSel.set(candMag.subarray(0, n));
  const t = kthLargest(candSel, n, k);
  let above = 0;
  for (let c = 0; c < n; c++) if (candMag[c]! > t) above++;
  let ties = k - above;
  let p = layout.kOffset[j]!;
  for (let c = 0; c < n; c++) {
    const a = candMag[c]!;
    if (a > t || (a === t && ties-- > 0)) keep(layout, j, candIdx[c]!, candVal[c]!, p++, indices, s);
  }
  return 'selected';
}

/**
 * Copies chunk j of a tensor into buf (chunk-local order) and its magnitudes into mag, first applying
 * value ← β·value + Δ (written back) when there is a delta. Returns false on a non-finite value.
 */
function gather(values: Float32Array, delta: Float32Array | null, beta: number, layout: ChunkLayout, j: number, buf: Float32Array, mag: Float32Array): boolean {
  const len = layout.length[j]!;
  const w = layout.rowStride === 0 ? len : layout.width[j]!;
  const rows = len / w;
  const start = layout.start[j]!;
  let finite = true;
  let l = 0;
  for (let r = 0; r < rows; r++) {
    const from = start + r * layout.rowStride;
    const to = from + w;
    for (let i = from; i < to; i++, l++) {
      const v = delta === null ? values[i]! : Math.fround(beta * values[i]! + delta[i]!);
      if (delta !== null) values[i] = v;
      const a = Math.abs(v);
      if (!(a <= MAX_FLOAT32)) finite = false; // NaN or ±∞
      buf[l] = v;
      mag[l] = a;
    }
  }
  return finite;
}

/** The kept values at their flat positions in the tensor. */
export function decompressTensor(c: CompressedTensor, config: CodecConfig): SparseTensor {
  const layout = sharedChunkLayout(c.shape, config);
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
