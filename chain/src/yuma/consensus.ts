import { fromSparse, type Matrix } from './dense.js';
import { normalize, type SparseMatrix } from './sparse.js';

/**
 * Stake-weighted κ-median of each column (subtensor `weighted_median_col_sparse`).
 *
 * Only rows with positive stake vote; their stakes are renormalised to sum 1. For column j, sort the
 * votes `W_ij` ascending (a validator that gave j nothing votes 0) and return the value x at which the
 * cumulative stake first exceeds `minority = 1 − κ`: the stake strictly below x is ≤ minority and the
 * stake at or below x is > minority. Equivalently x is the largest value that validators holding at
 * least κ of the stake weight at or above. With κ ≈ 0.5 it is the stake-weighted median; raising κ
 * lowers the consensus, so more stake must agree before a weight counts.
 *
 * Subtensor finds the same value with a recursive quickselect; sorting gives the identical result.
 */
export function weightedMedianColumns(stake: readonly number[], weights: SparseMatrix, columns: number, kappa: number): number[] {
  const n = Math.max(columns, stake.length);
  return weightedMedianDense(stake, fromSparse(weights, n), kappa).slice(0, columns);
}

/** `weightedMedianColumns` over a dense n×n matrix (rows = voters, columns = miners). */
export function weightedMedianDense(stake: readonly number[], weights: Matrix, kappa: number): number[] {
  const columns = weights[0]?.length ?? 0;
  const voters: number[] = [];
  stake.forEach((s, i) => {
    if (s > 0) voters.push(i);
  });
  const voterStake = normalize(voters.map((i) => stake[i] ?? 0));
  const stakeSum = voterStake.reduce((a, b) => a + b, 0);
  const minority = stakeSum - kappa;
  const median = new Array<number>(columns).fill(0);
  if (voters.length === 0) return median;

  const votes = new Float64Array(voters.length);
  const order = voters.map((_, k) => k);
  for (let j = 0; j < columns; j++) {
    voters.forEach((row, k) => {
      votes[k] = weights[row]?.[j] ?? 0;
    });
    order.sort((a, b) => (votes[a] as number) - (votes[b] as number));
    let below = 0;
    let result = votes[order[order.length - 1] as number] as number;
    let k = 0;
    while (k < order.length) {
      const value = votes[order[k] as number] as number;
      let atValue = 0;
      while (k < order.length && votes[order[k] as number] === value) {
        atValue += voterStake[order[k] as number] ?? 0;
        k++;
      }
      if (below <= minority && minority < below + atValue) {
        result = value;
        break;
      }
      below += atValue;
    }
    median[j] = result;
  }
  return median;
}

/**
 * Validator permits: true for the k largest entries (subtensor `is_topk` at spec 233). With n ≤ k every
 * uid gets a permit, even with zero stake. Ties: subtensor stable-sorts ascending and drops the first
 * n − k, so among equal stakes the lower uid loses its permit first.
 */
/**
 * `is_topk_nonzero` (spec 424): the k largest positive values; ties at the cut keep the higher index
 * (ascending stable sort, the first n − k dropped). Zero values never get a permit.
 */
export function topKNonzero(values: readonly number[], k: number): boolean[] {
  const top = topK(values, k);
  return top.map((t, i) => t && (values[i] ?? 0) > 0);
}

export function topK(values: readonly number[], k: number): boolean[] {
  const n = values.length;
  const result = new Array<boolean>(n).fill(true);
  if (n <= k) return result;
  const order = values.map((_, i) => i);
  order.sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0) || a - b);
  for (const i of order.slice(0, n - k)) result[i] = false;
  return result;
}
