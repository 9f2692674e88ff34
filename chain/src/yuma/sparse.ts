/**
 * The storage shape of weights and bonds — a row per uid of `[uid, value]` pairs, as subtensor keeps
 * them (`Vec<(u16, u16)>`) — and the vector helpers the epoch shares.
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
