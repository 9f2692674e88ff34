import type { MinerContext } from './minerContext.js';

/** Planning estimates, refined every window (ms). */
export interface Estimates {
  stepMs: number;
  encodeMs: number;
  uploadMs: number;
}

export const initialEstimates = (): Estimates => ({ stepMs: 0, encodeMs: 500, uploadMs: 1000 });

const estimatesOf = new WeakMap<MinerContext, Estimates>();

/** The miner's estimates (one set per miner context). */
export function estimates(ctx: MinerContext): Estimates {
  let e = estimatesOf.get(ctx);
  if (!e) estimatesOf.set(ctx, (e = initialEstimates()));
  return e;
}
