/**
 * Dense n×n matrix helpers for the epoch. Subtensor stores weights and bonds sparsely and computes with
 * `*_sparse` functions in which an absent entry is a zero; every operation used here treats a zero the
 * same way, so computing densely gives the same numbers with far less allocation. Names in comments are
 * the subtensor (`math.rs`) functions each mirrors.
 */
import type { SparseMatrix } from './sparse.js';

export type Matrix = Float64Array[];

export function zeros(n: number): Matrix {
  return Array.from({ length: n }, () => new Float64Array(n));
}

/** Rows as stored (`[uid, value]` pairs) → dense; entries pointing past n are dropped (`get_weights_sparse`). */
export function fromSparse(rows: SparseMatrix, n: number): Matrix {
  const m = zeros(n);
  for (let i = 0; i < n; i++) {
    const row = m[i] as Float64Array;
    for (const [j, v] of rows[i] ?? []) if (j < n) row[j] = v;
  }
  return m;
}

/** Dense → sparse rows of the positive entries. */
export function toSparse(m: Matrix): SparseMatrix {
  return m.map((row) => {
    const out: Array<[number, number]> = [];
    for (let j = 0; j < row.length; j++) {
      const v = row[j] as number;
      if (v > 0) out.push([j, v]);
    }
    return out;
  });
}

/** Zero whole rows whose mask is set (`mask_rows_sparse`). */
export function maskRowsInPlace(m: Matrix, mask: readonly boolean[]): void {
  m.forEach((row, i) => {
    if (mask[i] === true) row.fill(0);
  });
}

/** Zero the diagonal (`mask_diag_sparse`), except row `keep` (`mask_diag_sparse_except_index`). */
export function maskDiagonalInPlace(m: Matrix, keep?: number): void {
  m.forEach((row, i) => {
    if (i !== keep) row[i] = 0;
  });
}

/** Zero (i, j) when `commitBlock_i < registeredAt_j` (the commit-reveal column mask); undefined: no commit. */
export function maskAfterCommitInPlace(m: Matrix, commitBlock: ReadonlyArray<number | undefined>, registeredAt: readonly number[]): void {
  m.forEach((row, i) => {
    const committed = commitBlock[i];
    if (committed === undefined) return;
    for (let j = 0; j < row.length; j++) if (committed < (registeredAt[j] ?? 0)) row[j] = 0;
  });
}

/** Zero (i, j) when `lastUpdate_i ≤ registeredAt_j` (`vec_mask_sparse_matrix` with that predicate). */
export function maskStaleInPlace(m: Matrix, lastUpdate: readonly number[], registeredAt: readonly number[]): void {
  m.forEach((row, i) => {
    const updated = lastUpdate[i] ?? 0;
    for (let j = 0; j < row.length; j++) if (updated <= (registeredAt[j] ?? 0)) row[j] = 0;
  });
}

/** Each row divided by its positive sum (`inplace_row_normalize_sparse`). */
/** `scalar_vec_mask_sparse_matrix(m, lastTempo, registeredAt, lastTempo ≤ registered)`: drops columns of uids registered since. */
export function maskRegisteredSinceInPlace(m: Matrix, lastTempo: number, registeredAt: readonly number[]): void {
  for (const row of m) for (let j = 0; j < row.length; j++) if (lastTempo <= (registeredAt[j] ?? 0)) row[j] = 0;
}

export function rowNormalizeInPlace(m: Matrix): void {
  for (const row of m) {
    let sum = 0;
    for (const v of row) sum += v;
    if (sum > 0) for (let j = 0; j < row.length; j++) row[j] = (row[j] as number) / sum;
  }
}

/** Each column divided by its positive sum (`inplace_col_normalize_sparse`). */
export function columnNormalizeInPlace(m: Matrix): void {
  const n = m[0]?.length ?? 0;
  const sums = new Float64Array(n);
  for (const row of m) for (let j = 0; j < n; j++) sums[j] = (sums[j] as number) + (row[j] as number);
  for (const row of m) for (let j = 0; j < n; j++) if ((sums[j] as number) > 0) row[j] = (row[j] as number) / (sums[j] as number);
}

/** Each column divided by its positive maximum (`inplace_col_max_upscale_sparse`). */
export function columnMaxUpscaleInPlace(m: Matrix): void {
  const n = m[0]?.length ?? 0;
  const maxes = new Float64Array(n);
  for (const row of m) for (let j = 0; j < n; j++) if ((row[j] as number) > (maxes[j] as number)) maxes[j] = row[j] as number;
  for (const row of m) for (let j = 0; j < n; j++) if ((maxes[j] as number) > 0) row[j] = (row[j] as number) / (maxes[j] as number);
}

/** `r_j = Σ_i M_ij v_i` (`matmul_sparse`). */
export function matmul(m: Matrix, v: readonly number[]): number[] {
  const n = m[0]?.length ?? 0;
  const out = new Float64Array(n);
  m.forEach((row, i) => {
    const vi = v[i] ?? 0;
    if (vi === 0) return;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (row[j] as number) * vi;
  });
  return Array.from(out);
}

/** `d_i = Σ_j M_ij v_j` (`matmul_transpose_sparse`). */
export function matmulTranspose(m: Matrix, v: readonly number[]): number[] {
  return m.map((row) => {
    let acc = 0;
    for (let j = 0; j < row.length; j++) acc += (row[j] as number) * (v[j] ?? 0);
    return acc;
  });
}

export function rowSums(m: Matrix): number[] {
  return m.map((row) => {
    let acc = 0;
    for (let j = 0; j < row.length; j++) acc += row[j] as number;
    return acc;
  });
}

/** A new matrix with `f(i, j, m_ij)` in every cell; plain loops, as typed-array `map` is slow. */
function build(m: Matrix, f: (i: number, j: number, v: number) => number): Matrix {
  return m.map((row, i) => {
    const out = new Float64Array(row.length);
    for (let j = 0; j < row.length; j++) out[j] = f(i, j, row[j] as number);
    return out;
  });
}

/** `min(M_ij, c_j)` (`col_clip_sparse`). */
export function columnClip(m: Matrix, limits: readonly number[]): Matrix {
  return build(m, (_i, j, v) => {
    const c = limits[j] ?? 0;
    return v < c ? v : c;
  });
}

/** Row i scaled by `v_i` (`row_hadamard_sparse`). */
export function rowHadamard(m: Matrix, v: readonly number[]): Matrix {
  return build(m, (i, _j, x) => x * (v[i] ?? 0));
}

/** `a + ratio · (b − a)` (`interpolate_sparse`). */
export function interpolate(a: Matrix, b: Matrix, ratio: number): Matrix {
  if (ratio === 0) return a.map((row) => row.slice());
  if (ratio === 1) return b.map((row) => row.slice());
  return build(a, (i, j, x) => x + ratio * ((b[i]?.[j] ?? 0) - x));
}

/** `α · next + (1 − α) · prev` (`mat_ema_sparse`). */
export function ema(next: Matrix, prev: Matrix, alpha: number): Matrix {
  return build(next, (i, j, x) => alpha * x + (1 - alpha) * (prev[i]?.[j] ?? 0));
}
