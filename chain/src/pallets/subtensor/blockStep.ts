/**
 * SubtensorModule's per-block work (`block_step` at spec 233, run in on_initialize): reset per-block
 * registration counters, adjust the burn every AdjustmentInterval, mint this block's alpha into the
 * pending pots, and run the epoch of every subnet whose turn it is.
 */
import type { DispatchContext } from '../../runtime/pallet.js';
import { ALPHA_PER_BLOCK, isEpochBlock, splitBlockEmission } from '../../yuma/index.js';
import { runEpoch } from './epoch.js';
import {
  AdjustmentAlpha,
  AdjustmentInterval,
  BlocksSinceLastStep,
  Burn,
  BurnRegistrationsThisInterval,
  LastAdjustmentBlock,
  MaxBurn,
  MinBurn,
  NetworksAdded,
  PendingEmission,
  PendingOwnerCut,
  POWRegistrationsThisInterval,
  RegistrationsThisBlock,
  RegistrationsThisInterval,
  SubnetOwnerCut,
  TargetRegistrationsPerInterval,
  Tempo,
} from './subtensorStorage.js';

const U64_MAX = (1n << 64n) - 1n;

export function addedSubnets(ctx: DispatchContext): number[] {
  return ctx.storage
    .entries(NetworksAdded)
    .filter(({ value }) => value.toJSON() === true)
    .map(({ keys }) => Number(keys[0]?.toString()))
    .filter((netuid) => netuid !== 0)
    .sort((a, b) => a - b);
}

/**
 * Burn adjustment (simplified from `adjust_registration_terms_for_networks`, burned registrations only):
 * `new = burn · (regs + target) / (2 · target)`, then `burn' = a · burn + (1 − a) · new` with
 * `a = AdjustmentAlpha / u64::MAX`, clamped to [MinBurn, MaxBurn].
 */
function adjustBurn(ctx: DispatchContext, netuid: number): void {
  const s = ctx.storage;
  const interval = Number(s.get(AdjustmentInterval, [netuid]).toString());
  const lastAdjustment = Number(s.get(LastAdjustmentBlock, [netuid]).toString());
  if (interval === 0 || ctx.blockNumber - lastAdjustment < interval) return;
  const regs = BigInt(s.get(RegistrationsThisInterval, [netuid]).toString());
  const target = BigInt(s.get(TargetRegistrationsPerInterval, [netuid]).toString());
  const burn = BigInt(s.get(Burn, [netuid]).toString());
  if (target > 0n) {
    const next = (burn * (regs + target)) / (2n * target);
    const a = BigInt(s.get(AdjustmentAlpha, [netuid]).toString());
    let adjusted = (a * burn + (U64_MAX - a) * next) / U64_MAX;
    const min = BigInt(s.get(MinBurn, [netuid]).toString());
    const max = BigInt(s.get(MaxBurn, [netuid]).toString());
    if (adjusted < min) adjusted = min;
    if (adjusted > max) adjusted = max;
    s.set(Burn, [netuid], adjusted);
  }
  s.set(LastAdjustmentBlock, [netuid], BigInt(ctx.blockNumber));
  s.set(RegistrationsThisInterval, [netuid], 0);
  s.set(BurnRegistrationsThisInterval, [netuid], 0);
  s.set(POWRegistrationsThisInterval, [netuid], 0);
}

export function blockStep(ctx: DispatchContext): void {
  const s = ctx.storage;
  const ownerCutShare = Number(s.get(SubnetOwnerCut).toString());
  for (const netuid of addedSubnets(ctx)) {
    s.set(RegistrationsThisBlock, [netuid], 0);
    adjustBurn(ctx, netuid);
    const { ownerCut, pending } = splitBlockEmission(ALPHA_PER_BLOCK, ownerCutShare);
    s.set(PendingEmission, [netuid], BigInt(s.get(PendingEmission, [netuid]).toString()) + BigInt(pending));
    s.set(PendingOwnerCut, [netuid], BigInt(s.get(PendingOwnerCut, [netuid]).toString()) + BigInt(ownerCut));
    const tempo = Number(s.get(Tempo, [netuid]).toString());
    if (isEpochBlock(ctx.blockNumber, netuid, tempo)) runEpoch(ctx, netuid);
    else s.set(BlocksSinceLastStep, [netuid], BigInt(s.get(BlocksSinceLastStep, [netuid]).toString()) + 1n);
  }
}
