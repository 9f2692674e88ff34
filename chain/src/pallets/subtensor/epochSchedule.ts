/**
 * Epoch scheduling at spec 424 (`coinbase/run_coinbase.rs`): stateful, anchored on `LastEpochBlock`,
 * period `Tempo`. An epoch is due at block b when Tempo > 0 and `PendingEpochAt > 0 && b ≥
 * PendingEpochAt`, or `BlocksSinceLastStep > MaxTempo`, or `b − LastEpochBlock ≥ Tempo`. At most
 * `MaxEpochsPerBlock` epochs run per block; a due subnet beyond that is deferred to the next block.
 * Every consumed slot sets `LastEpochBlock = b`, clears `PendingEpochAt` and bumps `SubnetEpochIndex`.
 */
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { big, num } from './read.js';
import { AdminFreezeWindow, BlocksSinceLastStep, LastEpochBlock, PendingEpochAt, SubnetEpochIndex, Tempo } from './subtensorStorage.js';
import { subtensorConstants } from './subtensorConstants.js';

const MAX_TEMPO = BigInt(subtensorConstants.MaxTempo.value);

export function shouldRunEpoch(s: StorageAccess, netuid: number, block: number): boolean {
  const tempo = num(s, Tempo, [netuid]);
  if (tempo === 0) return false;
  const pending = big(s, PendingEpochAt, [netuid]);
  if (pending > 0n && BigInt(block) >= pending) return true;
  if (big(s, BlocksSinceLastStep, [netuid]) > MAX_TEMPO) return true;
  return BigInt(block) - big(s, LastEpochBlock, [netuid]) >= BigInt(tempo);
}

/** `current_epoch_with_lookahead`: the epoch a commit or reveal made at `block` belongs to. */
export function epochIndexAt(s: StorageAccess, netuid: number, block: number): bigint {
  const base = big(s, SubnetEpochIndex, [netuid]);
  return shouldRunEpoch(s, netuid, block) ? base + 1n : base;
}

/** Blocks until `LastEpochBlock + Tempo` (ignores triggers and deferral); undefined when tempo is 0. */
export function blocksUntilNextAutoEpoch(s: StorageAccess, netuid: number, block: number): bigint | undefined {
  const tempo = num(s, Tempo, [netuid]);
  if (tempo === 0) return undefined;
  const next = big(s, LastEpochBlock, [netuid]) + BigInt(tempo);
  return next > BigInt(block) ? next - BigInt(block) : 0n;
}

/** `get_next_epoch_start_block`: min(LastEpochBlock + Tempo, PendingEpochAt when set). */
export function nextEpochStartBlock(s: StorageAccess, netuid: number): bigint | undefined {
  const tempo = num(s, Tempo, [netuid]);
  if (tempo === 0) return undefined;
  const auto = big(s, LastEpochBlock, [netuid]) + BigInt(tempo);
  const pending = big(s, PendingEpochAt, [netuid]);
  return pending > 0n && pending < auto ? pending : auto;
}

/**
 * `is_in_admin_freeze_window`: the last `AdminFreezeWindow` blocks before an automatic epoch, or any
 * time a triggered epoch is pending. Admin setters fail then, for the owner and for root.
 */
export function isInAdminFreezeWindow(s: StorageAccess, netuid: number, block: number): boolean {
  const tempo = num(s, Tempo, [netuid]);
  if (tempo === 0) return false;
  const pending = big(s, PendingEpochAt, [netuid]);
  if (pending > 0n && pending > BigInt(block)) return true;
  const remaining = blocksUntilNextAutoEpoch(s, netuid, block) ?? 0n;
  return remaining < BigInt(num(s, AdminFreezeWindow));
}
