import type { CodecConfig } from './config.js';

/**
 * How one tensor is cut into chunks. 2-D tensors (R, C) become tiles of tileSize × tileSize, row-major
 * over tiles; tiles on the right and bottom edges are as large as what is left (ragged, never padded).
 * Every other rank is flattened and cut into runs of chunkSize; the last run may be shorter.
 * A chunk-local index l addresses the chunk's elements row-major (for a tile of width w: row l / w,
 * column l % w).
 *
 * A full chunk keeps topK values; a smaller (edge) chunk of n elements keeps round(n·topK/full), at
 * least 1, so density is the same everywhere and tiny tensors (biases, norm gains, scalars) are not sent
 * dense. The count per chunk is a function of (shape, config) only, so it is never sent on the wire.
 */
export interface ChunkLayout {
  readonly numel: number;
  readonly chunks: number;
  /** Elements in chunk j. */
  readonly length: Int32Array;
  /** Values kept in chunk j. */
  readonly k: Int32Array;
  /** Offset of chunk j's first kept value in the tensor's value/index arrays (length chunks + 1). */
  readonly kOffset: Int32Array;
  /** Tiles only: tile width of chunk j (runs: equal to length). */
  readonly width: Int32Array;
  /** Flat offset in the tensor of chunk j's first element. */
  readonly start: Int32Array;
  /** Row stride in the tensor (C for tiles, unused for runs). */
  readonly rowStride: number;
  readonly totalK: number;
  readonly maxLength: number;
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function chunkK(length: number, full: number, topK: number): number {
  return Math.min(length, Math.max(1, Math.round((length * topK) / full)));
}

export function chunkLayout(shape: readonly number[], config: CodecConfig): ChunkLayout {
  const numel = numelOf(shape);
  if (shape.length === 2) {
    const rows = shape[0] ?? 0;
    const cols = shape[1] ?? 0;
    const t = config.tileSize;
    const ty = Math.ceil(rows / t);
    const tx = Math.ceil(cols / t);
    const chunks = numel === 0 ? 0 : ty * tx;
    const out = alloc(chunks);
    let j = 0;
    for (let y = 0; y < ty && chunks > 0; y++) {
      const h = Math.min(t, rows - y * t);
      for (let x = 0; x < tx; x++, j++) {
        const w = Math.min(t, cols - x * t);
        out.length[j] = h * w;
        out.width[j] = w;
        out.start[j] = y * t * cols + x * t;
      }
    }
    return finish(numel, chunks, out, cols, t * t, config.topK);
  }
  const s = config.chunkSize;
  const chunks = Math.ceil(numel / s);
  const out = alloc(chunks);
  for (let j = 0; j < chunks; j++) {
    const len = Math.min(s, numel - j * s);
    out.length[j] = len;
    out.width[j] = len;
    out.start[j] = j * s;
  }
  return finish(numel, chunks, out, 0, s, config.topK);
}

const layouts = new Map<string, ChunkLayout>();
// Bounded by the chunks held (≈ 24 bytes each): a process decoding updates under many codec settings
// (a peer's header chooses them when the receiver does not pin them) must not grow without end.
const MAX_CACHED_CHUNKS = 1 << 20;
let cachedChunks = 0;

/**
 * chunkLayout, memoised per (tileSize, chunkSize, topK, shape): the codec's own paths need the layout
 * of every tensor of every update they encode or decode, and a model has only a few distinct shapes.
 * The result is shared, so callers must treat it as read-only (the exported chunkLayout stays a fresh
 * copy for everyone else).
 */
export function sharedChunkLayout(shape: readonly number[], config: CodecConfig): ChunkLayout {
  const key = `${config.tileSize},${config.chunkSize},${config.topK}:${shape.join(',')}`;
  let layout = layouts.get(key);
  if (layout === undefined) {
    layout = chunkLayout(shape, config);
    if (cachedChunks + layout.chunks > MAX_CACHED_CHUNKS) {
      layouts.clear();
      cachedChunks = 0;
    }
    if (layout.chunks <= MAX_CACHED_CHUNKS) {
      layouts.set(key, layout);
      cachedChunks += layout.chunks;
    }
  }
  return layout;
}

function alloc(chunks: number): { length: Int32Array; width: Int32Array; start: Int32Array } {
  return { length: new Int32Array(chunks), width: new Int32Array(chunks), start: new Int32Array(chunks) };
}

function finish(
  numel: number,
  chunks: number,
  a: { length: Int32Array; width: Int32Array; start: Int32Array },
  rowStride: number,
  full: number,
  topK: number,
): ChunkLayout {
  const k = new Int32Array(chunks);
  const kOffset = new Int32Array(chunks + 1);
  let maxLength = 0;
  for (let j = 0; j < chunks; j++) {
    const len = a.length[j] ?? 0;
    const kj = chunkK(len, full, topK);
    k[j] = kj;
    kOffset[j + 1] = (kOffset[j] ?? 0) + kj;
    if (len > maxLength) maxLength = len;
  }
  return { numel, chunks, ...a, k, kOffset, rowStride, totalK: kOffset[chunks] ?? 0, maxLength };
}

/** Flat tensor offset of chunk-local index l in chunk j. */
export function globalIndex(layout: ChunkLayout, j: number, l: number): number {
  const start = layout.start[j] ?? 0;
  if (layout.rowStride === 0) return start + l;
  const w = layout.width[j] ?? 1;
  const r = (l / w) | 0;
  return start + r * layout.rowStride + (l - r * w);
}
