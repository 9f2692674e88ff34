import { topKNonzero, weightedMedianDense } from './consensus.js';
import {
  columnClip,
  columnMaxUpscaleInPlace,
  columnNormalizeInPlace,
  ema,
  fromSparse,
  interpolate,
  maskAfterCommitInPlace,
  maskDiagonalInPlace,
  maskRowsInPlace,
  maskRegisteredSinceInPlace,
  maskStaleInPlace,
  type Matrix,
  matmul,
  matmulTranspose,
  rowHadamard,
  rowNormalizeInPlace,
  rowSums,
  toSparse,
} from './dense.js';
import { maxUpscaleToU16, proportionToU16, U16_MAX } from './quantize.js';
import { maskVector, normalize, type SparseMatrix } from './sparse.js';

/** Subnet hyperparameters the epoch reads, in their storage units. */
export interface YumaParams {
  /** `ActivityCutoff` (blocks): uid i is active when `lastUpdate_i + activityCutoff ≥ block`. */
  activityCutoff: number;
  /** `MaxAllowedValidators`: how many uids get a validator permit (top-k by stake). */
  maxAllowedValidators: number;
  /** `Kappa` (u16): consensus majority, κ = kappa / 65535. */
  kappa: number;
  /** `BondsMovingAverage` (per million): the EMA keeps this share of the old bonds. */
  bondsMovingAverage: number;
  /** `BondsPenalty` (u16): how far bonds use clipped rather than raw weights. */
  bondsPenalty: number;
  /** `Yuma3On`: per-validator bonds and stake-weighted dividends (on for subnets created at spec 424). */
  yuma3: boolean;
}

/**
 * A new subnet at spec 424 (`register_network`): tempo 360 with the default activity cutoff factor
 * (ActivityCutoffFactorMilli 13,889 → 5,000 blocks), 64 validators, κ 32767, bonds moving average
 * 900,000, bonds penalty 65535, Yuma 3 on.
 */
export const defaultYumaParams: Readonly<YumaParams> = {
  activityCutoff: 5000,
  maxAllowedValidators: 64,
  kappa: 32767,
  bondsMovingAverage: 900_000,
  bondsPenalty: 65535,
  yuma3: true,
};

/** Everything one epoch reads, indexed by uid (length n). */
export interface YumaInputs {
  /** The block the epoch runs at. */
  block: number;
  /** Stake weight per uid (any unit; only proportions matter): alpha + TaoWeight × root stake. */
  stake: readonly number[];
  /** `LastUpdate`: block of each uid's last set_weights. */
  lastUpdate: readonly number[];
  /** `BlockAtRegistration`. */
  blockAtRegistration: readonly number[];
  /** `ValidatorPermit` from the previous epoch (masks this epoch's weights and stake). */
  validatorPermit: readonly boolean[];
  /** `Weights` rows as stored: `[uid, u16]` pairs. */
  weights: SparseMatrix;
  /** `Bonds` rows as stored: `[uid, u16]` pairs. */
  bonds: SparseMatrix;
  /**
   * The block after the subnet's previous epoch (`LastMechansimStepBlock + 1`, or `block − tempo` before
   * the first): bonds to uids registered at or after it are dropped. Defaults to `block`.
   */
  lastTempo?: number;
  /** Alpha (rao) to distribute: the subnet's pending emission drained at this epoch. */
  emission: number;
  params: YumaParams;
  /** The subnet owner hotkey's uid: always permitted, and its self-weight counts (spec 424). */
  ownerUid?: number | undefined;
  /**
   * With commit-reveal on: each validator's earliest unexpired commit block (undefined: none). Its
   * weights to uids registered after that block are dropped.
   */
  commitBlock?: ReadonlyArray<number | undefined>;
}

/** Values as they are written to storage. */
export interface YumaStorage {
  active: boolean[];
  stakeWeight: number[];
  rank: number[];
  trust: number[];
  consensus: number[];
  incentive: number[];
  dividends: number[];
  validatorTrust: number[];
  pruningScores: number[];
  validatorPermit: boolean[];
  /** `Emission` (rao): normalised incentive + dividends times the epoch's emission. */
  emission: number[];
  /**
   * New `Bonds` rows. `undefined` leaves the stored row alone (a uid that neither had nor gets a permit);
   * an empty row clears the bonds of a uid that lost its permit.
   */
  bonds: Array<Array<[number, number]> | undefined>;
}

export interface YumaOutputs {
  /** Fractions before quantisation, useful for tests and diagnostics. */
  stake: number[];
  activeStake: number[];
  weights: SparseMatrix;
  clippedWeights: SparseMatrix;
  prerank: number[];
  consensus: number[];
  rank: number[];
  trust: number[];
  incentive: number[];
  dividends: number[];
  validatorTrust: number[];
  bonds: SparseMatrix;
  /** Rao paid as stake to each uid as a miner (incentive share) and as a validator (dividend share). */
  serverEmission: number[];
  validatorEmission: number[];
  storage: YumaStorage;
}

/**
 * One Yuma epoch as subtensor's `epoch_mechanism` computes it at spec 424 (Yuma 3 or classic bonds, per
 * `params.yuma3`). Each step names the function
 * it mirrors; the README in this folder has the formulas. Pure: the caller reads storage, calls this,
 * and writes `storage` back.
 */
export function yumaEpoch(inputs: YumaInputs): YumaOutputs {
  const n = inputs.stake.length;
  const { params, block } = inputs;
  const at = <T>(v: readonly T[], i: number, d: T): T => v[i] ?? d;

  // Activity: a uid that has not set weights within the cutoff neither votes nor earns dividends.
  const active = Array.from({ length: n }, (_, i) => at(inputs.lastUpdate, i, 0) + params.activityCutoff >= block);
  const inactive = active.map((a) => !a);

  // Stake S = s / Σs. New permits are the top-k by S; this epoch still masks with the previous ones.
  const stake = normalize(inputs.stake);
  const owner = inputs.ownerUid;
  const permits = Array.from({ length: n }, (_, i) => at(inputs.validatorPermit, i, false) || i === owner);
  const forbids = permits.map((p) => !p);
  const newPermits = topKNonzero(stake, params.maxAllowedValidators).map((p, i) => p || i === owner);

  // Active stake A: S with inactive and unpermitted uids zeroed, renormalised.
  const activeStake = normalize(maskVector(forbids, maskVector(inactive, stake)));

  // W: permitted rows only, no self-weight, no weight older than its target's registration; rows sum to 1.
  const weights = fromSparse(inputs.weights, n);
  maskRowsInPlace(weights, forbids);
  maskDiagonalInPlace(weights, owner);
  maskStaleInPlace(weights, inputs.lastUpdate, inputs.blockAtRegistration);
  if (inputs.commitBlock !== undefined) maskAfterCommitInPlace(weights, inputs.commitBlock, inputs.blockAtRegistration);
  rowNormalizeInPlace(weights);

  // Prerank P_j = Σ_i A_i W_ij.
  const prerank = matmul(weights, activeStake);

  // Consensus C_j = κ-median of column j; clipped weights W̄_ij = min(W_ij, C_j); VT_i = Σ_j W̄_ij.
  const kappa = params.kappa / U16_MAX;
  const consensus = weightedMedianDense(activeStake, weights, kappa);
  const clippedWeights = columnClip(weights, consensus);
  const validatorTrust = rowSums(clippedWeights);

  // Rank R_j = Σ_i A_i W̄_ij; trust T_j = R_j / P_j; incentive I = R / ΣR (rank is stored normalised).
  const rawRank = matmul(clippedWeights, activeStake);
  const trust = rawRank.map((r, j) => {
    const p = prerank[j] ?? 0;
    return p === 0 ? 0 : r / p;
  });
  const rank = normalize(rawRank);
  const incentive = rank.slice();

  // Bonds. Weights for bonds W_b = W + β(W̄ − W). Old bonds lose the columns of uids registered since
  // the previous epoch (`last_tempo ≤ registered`).
  const beta = params.bondsPenalty / U16_MAX;
  const weightsForBonds = interpolate(weights, clippedWeights, beta);
  const bonds = fromSparse(inputs.bonds, n);
  maskRegisteredSinceInPlace(bonds, inputs.lastTempo ?? block, inputs.blockAtRegistration);
  const emaAlpha = 1 - params.bondsMovingAverage / 1_000_000;
  let emaBonds: Matrix;
  let dividends: number[];
  if (params.yuma3) {
    // Yuma 3 (`compute_bonds_sparse`, liquid alpha off): bonds are per-validator fractions (stored u16 /
    // 65535), B' = a W_b + (1 − a) B; D_i = A_i · Σ_j B̂'_ij I_j with B̂' column-normalised, normalised.
    for (const row of bonds) for (let j = 0; j < row.length; j++) row[j] = (row[j] ?? 0) / U16_MAX;
    emaBonds = ema(weightsForBonds, bonds, emaAlpha);
    const normalized = emaBonds.map((row) => row.slice());
    columnNormalizeInPlace(normalized);
    const perValidator = matmulTranspose(normalized, incentive);
    dividends = normalize(perValidator.map((x, i) => x * (activeStake[i] ?? 0)));
  } else {
    // Classic: old bonds column-normalised; ΔB_ij = W_b,ij A_i column-normalised; B' = a ΔB + (1 − a) B
    // column-normalised again; D_i = Σ_j B'_ij I_j, normalised.
    columnNormalizeInPlace(bonds);
    const bondsDelta = rowHadamard(weightsForBonds, activeStake);
    columnNormalizeInPlace(bondsDelta);
    emaBonds = ema(bondsDelta, bonds, emaAlpha);
    columnNormalizeInPlace(emaBonds);
    dividends = normalize(matmulTranspose(emaBonds, incentive));
  }

  // Emission split: miners get I/Σ(I+D), validators D/Σ(I+D) of E, i.e. half each when both are
  // non-zero. Without any valid weight everything goes to validators by active stake (or stake).
  const combined = incentive.map((x, i) => x + (dividends[i] ?? 0));
  const emissionSum = combined.reduce((a, b) => a + b, 0);
  let serverShare = emissionSum === 0 ? incentive.slice() : incentive.map((x) => x / emissionSum);
  let validatorShare = emissionSum === 0 ? dividends.slice() : dividends.map((x) => x / emissionSum);
  let combinedShare = normalize(combined);
  if (emissionSum === 0) {
    const fallback = activeStake.every((x) => x === 0) ? stake : activeStake;
    serverShare = serverShare.map(() => 0);
    validatorShare = fallback.slice();
    combinedShare = fallback.slice();
  }
  const E = inputs.emission;
  const serverEmission = serverShare.map((x) => Math.floor(x * E));
  const validatorEmission = validatorShare.map((x) => Math.floor(x * E));
  const emission = combinedShare.map((x) => Math.floor(x * E));

  // Stored bonds, only for uids that keep a permit: Yuma 3 stores the fractions as u16, classic Yuma
  // column max-upscales first.
  const sparseBonds = toSparse(emaBonds);
  if (!params.yuma3) columnMaxUpscaleInPlace(emaBonds);
  const upscaledBonds = toSparse(emaBonds);
  const storedBonds: YumaStorage['bonds'] = newPermits.map((permit, i) => {
    if (permit) return (upscaledBonds[i] ?? []).map(([j, v]) => [j, proportionToU16(v)] as [number, number]);
    return permits[i] === true ? [] : undefined;
  });

  const storage: YumaStorage = {
    active,
    stakeWeight: stake.map(proportionToU16),
    rank: rank.map(proportionToU16),
    trust: trust.map(proportionToU16),
    consensus: consensus.map(proportionToU16),
    incentive: incentive.map(proportionToU16),
    dividends: dividends.map(proportionToU16),
    validatorTrust: validatorTrust.map(proportionToU16),
    pruningScores: maxUpscaleToU16(combinedShare),
    validatorPermit: newPermits,
    emission,
    bonds: storedBonds,
  };

  return {
    stake,
    activeStake,
    weights: toSparse(weights),
    clippedWeights: toSparse(clippedWeights),
    prerank,
    consensus,
    rank,
    trust,
    incentive,
    dividends,
    validatorTrust,
    bonds: sparseBonds,
    serverEmission,
    validatorEmission,
    storage,
  };
}

