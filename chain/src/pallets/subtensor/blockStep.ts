/**
 * SubtensorModule's per-block work at spec 424 (`block_step`, run in on_initialize, so extrinsics of a
 * block see the state after that block's epochs): registration prices decay; each emitting subnet
 * mints its alpha into the pending pots; every subnet's epoch slot is checked (at most
 * `MaxEpochsPerBlock` run, the rest are deferred a block); the due ones drain their pending emission
 * through Yuma; pending childkeys of those subnets are applied.
 */
import type { DispatchContext } from '../../runtime/pallet.js';
import { decayBurn } from './burnPrice.js';
import { applyPendingChildren } from './childkeys.js';
import { emitsAlpha, emitToSubnet } from './emission.js';
import { runEpoch, type PendingEmission } from './epoch.js';
import { shouldRunEpoch } from './epochSchedule.js';
import { big, num } from './read.js';
import {
  BlocksSinceLastStep,
  LastEpochBlock,
  LastMechansimStepBlock,
  MaxEpochsPerBlock,
  NetworksAdded,
  PendingEpochAt,
  PendingOwnerCut,
  PendingServerEmission,
  PendingValidatorEmission,
  RegistrationsThisBlock,
  SubnetEpochIndex,
} from './subtensorStorage.js';

export function addedSubnets(ctx: DispatchContext): number[] {
  return ctx.storage
    .entries(NetworksAdded)
    .filter(({ value }) => value.toJSON() === true)
    .map(({ keys }) => Number(keys[0]?.toString()))
    .filter((netuid) => netuid !== 0)
    .sort((a, b) => a - b);
}

/** `drain_pending`: which subnets run their epoch now, with the pending emission each drains. */
function drainPending(ctx: DispatchContext, subnets: readonly number[]): Map<number, PendingEmission> {
  const s = ctx.storage;
  const block = BigInt(ctx.blockNumber);
  const cap = num(s, MaxEpochsPerBlock);
  const drained = new Map<number, PendingEmission>();
  for (const netuid of subnets) {
    s.set(BlocksSinceLastStep, [netuid], big(s, BlocksSinceLastStep, [netuid]) + 1n);
    if (!shouldRunEpoch(s, netuid, ctx.blockNumber)) continue;
    if (drained.size >= cap) {
      s.set(PendingEpochAt, [netuid], block + 1n);
      ctx.emit('EpochDeferred', [netuid, block, block + 1n]);
      continue;
    }
    s.set(BlocksSinceLastStep, [netuid], 0n);
    drained.set(netuid, {
      server: big(s, PendingServerEmission, [netuid]),
      validator: big(s, PendingValidatorEmission, [netuid]),
      ownerCut: big(s, PendingOwnerCut, [netuid]),
    });
    for (const item of [PendingServerEmission, PendingValidatorEmission, PendingOwnerCut]) s.set(item, [netuid], 0n);
    s.set(LastEpochBlock, [netuid], block);
    s.set(PendingEpochAt, [netuid], 0n);
    s.set(SubnetEpochIndex, [netuid], big(s, SubnetEpochIndex, [netuid]) + 1n);
  }
  return drained;
}

export function blockStep(ctx: DispatchContext): void {
  const s = ctx.storage;
  const subnets = addedSubnets(ctx);
  for (const netuid of subnets) {
    decayBurn(s, netuid, ctx.blockNumber);
    s.set(RegistrationsThisBlock, [netuid], 0);
  }
  for (const netuid of subnets) if (emitsAlpha(s, netuid)) emitToSubnet(s, netuid);
  const drained = drainPending(ctx, subnets);
  for (const [netuid, pending] of drained) {
    runEpoch(ctx, netuid, pending);
    s.set(LastMechansimStepBlock, [netuid], BigInt(ctx.blockNumber));
  }
  for (const netuid of drained.keys()) applyPendingChildren(ctx, netuid);
}
