import { CrucibleError } from '@crucible/core';

export interface CosineScheduleOptions {
  /** Peak learning rate, reached at the end of warmup. */
  maxLr: number;
  /** Number of linear-warmup steps (0 for none). */
  warmupSteps: number;
  /** Step at which the cosine reaches its floor; later steps stay at the floor. */
  totalSteps: number;
  /** Floor as a fraction of maxLr. Default 0.1. */
  minLrRatio?: number;
}

export type LrSchedule = (step: number) => number;

/**
 * Linear warmup, then cosine decay to `maxLr · minLrRatio`. `step` counts steps already taken (0 for the
 * first step), so the first step never uses a zero learning rate:
 *
 *   step < warmup:            lr = maxLr · (step + 1) / warmup
 *   warmup ≤ step < total:    lr = min + ½ (1 + cos(π · (step − warmup) / (total − warmup))) · (maxLr − min)
 *   step ≥ total:             lr = min
 */
export function cosineSchedule(options: CosineScheduleOptions): LrSchedule {
  const { maxLr, warmupSteps, totalSteps } = options;
  const minLrRatio = options.minLrRatio ?? 0.1;
  if (!(maxLr >= 0 && Number.isFinite(maxLr))) throw new CrucibleError('CONFIG_INVALID', `maxLr must be finite and >= 0, got ${maxLr}`);
  if (!Number.isSafeInteger(warmupSteps) || warmupSteps < 0) {
    throw new CrucibleError('CONFIG_INVALID', `warmupSteps must be an integer >= 0, got ${warmupSteps}`);
  }
  if (!Number.isSafeInteger(totalSteps) || totalSteps < warmupSteps) {
    throw new CrucibleError('CONFIG_INVALID', `totalSteps must be an integer >= warmupSteps, got ${totalSteps}`);
  }
  if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new CrucibleError('CONFIG_INVALID', `minLrRatio must be in [0, 1], got ${minLrRatio}`);
  const minLr = maxLr * minLrRatio;
  const decaySteps = totalSteps - warmupSteps;
  return (step: number): number => {
    if (!Number.isSafeInteger(step) || step < 0) throw new CrucibleError('INTERNAL', `schedule step must be an integer >= 0, got ${step}`);
    if (step < warmupSteps) return (maxLr * (step + 1)) / warmupSteps;
    if (step >= totalSteps) return minLr;
    const progress = (step - warmupSteps) / decaySteps;
    return minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (maxLr - minLr);
  };
}
