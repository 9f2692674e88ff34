/**
 * Sparse-matrix helpers mirroring subtensor's `math.rs` (the `*_sparse` family). A matrix is a list of
 * rows; a row is a list of `[column, value]` pairs with columns in ascending order. Zero entries may be
 * absent or present; every helper treats the two the same way, as subtensor does.
 */
export type SparseRow = Array<[number, number]>;
export type SparseMatrix = SparseRow[];

/** Divide a vector by its sum; a zero-sum vector is left as it is (`inplace_normalize`). */
export function normalize(vector: readonly number[]): number[] {
  let sum = 0;
  for (const x of vector) sum += x;
  if (sum === 0) return vector.slice();
  return vector.map((x) => x / sum);
}

/** Zero the entries whose mask is true (`inplace_mask_vector`). */
export function maskVector(mask: readonly boolean[], vector: readonly number[]): number[] {
  return vector.map((x, i) => (mask[i] === true ? 0 : x));
}

/** Drop whole rows whose mask is true (`mask_rows_sparse`). */
export function maskRows(mask: readonly boolean[], matrix: SparseMatrix): SparseMatrix {
  return matrix.map((row, i) => (mask[i] === true ? [] : row.map(([j, v]) => [j, v] as [number, number])));
}

/** Drop the diagonal (`mask_diag_sparse`): a neuron's weight on itself never counts. */
export function maskDiagonal(matrix: SparseMatrix): SparseMatrix {
  return matrix.map((row, i) => row.filter(([j]) => j !== i));
}

/**
 * Drop entry (i, j) when `maskFn(first[i], second[j])` (`vec_mask_sparse_matrix`). Used with
 * `lastUpdate[i] <= blockAtRegistration[j]`: a weight or bond set before j registered refers to the
 * previous holder of uid j.
 */
export function maskByPair(
  matrix: SparseMatrix,
  first: readonly number[],
  second: readonly number[],
  maskFn: (a: number, b: number) => boolean,
): SparseMatrix {
  return matrix.map((row, i) => row.filter(([j]) => !maskFn(first[i] ?? 0, second[j] ?? 0)));
}

/** Each row divided by its sum when the sum is positive (`inplace_row_normalize_sparse`). */
export function rowNormalize(matrix: SparseMatrix): SparseMatrix {
  return matrix.map((row) => {
    let sum = 0;
    for (const [, v] of row) sum += v;
    if (sum === 0) return row.map(([j, v]) => [j, v] as [number, number]);
    return row.map(([j, v]) => [j, v / sum] as [number, number]);
  });
}

/** Sum of each column over all rows. */
export function columnSums(matrix: SparseMatrix, columns: number): number[] {
  const sums = new Array<number>(columns).fill(0);
  for (const row of matrix) for (const [j, v] of row) sums[j] = (sums[j] ?? 0) + v;
  return sums;
}

/** Each column divided by its sum when positive (`inplace_col_normalize_sparse`). */
export function columnNormalize(matrix: SparseMatrix, columns: number): SparseMatrix {
  const sums = columnSums(matrix, columns);
  return matrix.map((row) =>
    row.map(([j, v]) => {
      const s = sums[j] ?? 0;
      return [j, s === 0 ? v : v / s] as [number, number];
    }),
  );
}

/** Each column divided by its maximum when positive (`inplace_col_max_upscale_sparse`). */
export function columnMaxUpscale(matrix: SparseMatrix, columns: number): SparseMatrix {
  const maxes = new Array<number>(columns).fill(0);
  for (const row of matrix) for (const [j, v] of row) if (v > (maxes[j] ?? 0)) maxes[j] = v;
  return matrix.map((row) =>
    row.map(([j, v]) => {
      const m = maxes[j] ?? 0;
      return [j, m === 0 ? v : v / m] as [number, number];
    }),
  );
}

/** `r_j = Σ_i M_ij · v_i` (`matmul_sparse`): stake-weighted column sums. */
export function matmul(matrix: SparseMatrix, vector: readonly number[], columns: number): number[] {
  const out = new Array<number>(columns).fill(0);
  matrix.forEach((row, i) => {
    const vi = vector[i] ?? 0;
    for (const [j, v] of row) out[j] = (out[j] ?? 0) + v * vi;
  });
  return out;
}

/** `d_i = Σ_j M_ij · v_j` (`matmul_transpose_sparse`). */
export function matmulTranspose(matrix: SparseMatrix, vector: readonly number[]): number[] {
  return matrix.map((row) => {
    let acc = 0;
    for (const [j, v] of row) acc += v * (vector[j] ?? 0);
    return acc;
  });
}

/** `Σ_j M_ij` per row (`row_sum_sparse`). */
export function rowSums(matrix: SparseMatrix): number[] {
  return matrix.map((row) => row.reduce((acc, [, v]) => acc + v, 0));
}

/** Row i scaled by `v_i` (`row_hadamard_sparse`). */
export function rowHadamard(matrix: SparseMatrix, vector: readonly number[]): SparseMatrix {
  return matrix.map((row, i) => row.map(([j, v]) => [j, v * (vector[i] ?? 0)] as [number, number]));
}

/** `min(M_ij, c_j)`, dropping entries whose clipped value is zero (`col_clip_sparse`). */
export function columnClip(matrix: SparseMatrix, limits: readonly number[]): SparseMatrix {
  const out: SparseMatrix = [];
  for (const row of matrix) {
    const clipped: SparseRow = [];
    for (const [j, v] of row) {
      const c = limits[j] ?? 0;
      if (c <= 0) continue;
      clipped.push([j, v < c ? v : c]);
    }
    out.push(clipped);
  }
  return out;
}

/** Dense view of one sparse row set, used where every (i, j) pair is visited anyway. */
function toDenseRow(row: SparseRow, columns: number): Float64Array {
  const dense = new Float64Array(columns);
  for (const [j, v] of row) dense[j] = v;
  return dense;
}

/**
 * `old + ratio · (new − old)` entry-wise (`interpolate_sparse`), dropping zeros. Bonds use it to blend
 * raw and clipped weights by the bonds penalty.
 */
export function interpolate(
  oldMatrix: SparseMatrix,
  newMatrix: SparseMatrix,
  columns: number,
  ratio: number,
): SparseMatrix {
  if (ratio === 0) return oldMatrix.map((row) => row.map(([j, v]) => [j, v] as [number, number]));
  if (ratio === 1) return newMatrix.map((row) => row.map(([j, v]) => [j, v] as [number, number]));
  return oldMatrix.map((oldRow, i) => {
    const a = toDenseRow(oldRow, columns);
    const b = toDenseRow(newMatrix[i] ?? [], columns);
    const row: SparseRow = [];
    for (let j = 0; j < columns; j++) {
      const v = (a[j] ?? 0) + ratio * ((b[j] ?? 0) - (a[j] ?? 0));
      if (v !== 0) row.push([j, v]);
    }
    return row;
  });
}

/** `α · new + (1 − α) · old` entry-wise, dropping zeros (`mat_ema_sparse`). */
export function ema(newMatrix: SparseMatrix, oldMatrix: SparseMatrix, columns: number, alpha: number): SparseMatrix {
  const rows = Math.max(newMatrix.length, oldMatrix.length);
  const out: SparseMatrix = [];
  for (let i = 0; i < rows; i++) {
    const a = toDenseRow(newMatrix[i] ?? [], columns);
    const b = toDenseRow(oldMatrix[i] ?? [], columns);
    const row: SparseRow = [];
    for (let j = 0; j < columns; j++) {
      const v = alpha * (a[j] ?? 0) + (1 - alpha) * (b[j] ?? 0);
      if (v !== 0) row.push([j, v]);
    }
    out.push(row);
  }
  return out;
}
