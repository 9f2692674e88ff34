/**
 * The owner's tempo controls at spec 424 (`coinbase/tempo_control.rs`): `set_tempo` (owner, tempo in
 * [MinTempo, MaxTempo], outside the freeze window, once per MinTempo blocks; resets the epoch anchor),
 * `set_activity_cutoff_factor` (owner or root; owner rate limited) and `trigger_epoch` (owner, only
 * with commit-reveal off: an epoch `AdminFreezeWindow` blocks from now).
 */
import type { DispatchContext } from '../../runtime/pallet.js';
import { blocksUntilNextAutoEpoch } from './epochSchedule.js';
import { ensureAdminWindowOpen, ensureOwnerOrRoot, ensureSubnetOwner } from './origins.js';
import { big, flag, num } from './read.js';
import { lastRateLimitedBlock, passesRateLimit, setLastRateLimitedBlock } from './rateLimits.js';
import {
  ActivityCutoffFactorMilli,
  AdminFreezeWindow,
  CommitRevealWeightsEnabled,
  LastEpochBlock,
  OwnerHyperparamRateLimit,
  PendingEpochAt,
  Tempo,
  TransactionKeyLastBlock,
} from './subtensorStorage.js';
import { subtensorConstants } from './subtensorConstants.js';

const MIN_TEMPO = Number(subtensorConstants.MinTempo.value);
const MAX_TEMPO = Number(subtensorConstants.MaxTempo.value);
const MIN_FACTOR = Number(subtensorConstants.MinActivityCutoffFactorMilli.value);
const MAX_FACTOR = Number(subtensorConstants.MaxActivityCutoffFactorMilli.value);
/** `TransactionType::TempoUpdate` as stored in TransactionKeyLastBlock. */
const TEMPO_UPDATE_TX = 11;

/** `apply_tempo_with_cycle_reset`: the new tempo counts from this block. */
export function applyTempo(ctx: DispatchContext, netuid: number, tempo: number): void {
  ctx.storage.set(Tempo, [netuid], tempo);
  ctx.emitFrom('SubtensorModule', 'TempoSet', [netuid, tempo]);
  ctx.storage.set(LastEpochBlock, [netuid], BigInt(ctx.blockNumber));
}

export function setTempo(ctx: DispatchContext, netuid: number, tempo: number): void {
  const who = ensureSubnetOwner(ctx, netuid);
  if (tempo < MIN_TEMPO || tempo > MAX_TEMPO) throw ctx.error('TempoOutOfBounds');
  ensureAdminWindowOpen(ctx, netuid);
  const last = big(ctx.storage, TransactionKeyLastBlock, [who, netuid, TEMPO_UPDATE_TX]);
  if (!passesRateLimit(BigInt(MIN_TEMPO), ctx.blockNumber, last)) throw ctx.error('TxRateLimitExceeded');
  applyTempo(ctx, netuid, tempo);
  ctx.storage.set(TransactionKeyLastBlock, [who, netuid, TEMPO_UPDATE_TX], BigInt(ctx.blockNumber));
}

export function setActivityCutoffFactor(ctx: DispatchContext, netuid: number, factorMilli: number): void {
  const owner = ensureOwnerOrRoot(ctx, netuid);
  if (factorMilli < MIN_FACTOR || factorMilli > MAX_FACTOR) throw ctx.error('ActivityCutoffFactorMilliOutOfBounds');
  const key = { OwnerHyperparamUpdate: [netuid, 'ActivityCutoffFactorMilli'] as [number, 'ActivityCutoffFactorMilli'] };
  if (owner !== undefined) {
    ensureAdminWindowOpen(ctx, netuid);
    const limit = BigInt(num(ctx.storage, Tempo, [netuid])) * BigInt(num(ctx.storage, OwnerHyperparamRateLimit));
    if (!passesRateLimit(limit, ctx.blockNumber, lastRateLimitedBlock(ctx.storage, key))) throw ctx.error('TxRateLimitExceeded');
  }
  ctx.storage.set(ActivityCutoffFactorMilli, [netuid], factorMilli);
  ctx.emit('ActivityCutoffFactorMilliSet', [netuid, factorMilli]);
  if (owner !== undefined) setLastRateLimitedBlock(ctx.storage, key, BigInt(ctx.blockNumber));
}

export function triggerEpoch(ctx: DispatchContext, netuid: number): void {
  const who = ensureSubnetOwner(ctx, netuid);
  const s = ctx.storage;
  if (flag(s, CommitRevealWeightsEnabled, [netuid])) throw ctx.error('DynamicTempoBlockedByCommitReveal');
  if (big(s, PendingEpochAt, [netuid]) !== 0n) throw ctx.error('EpochTriggerAlreadyPending');
  const window = BigInt(num(s, AdminFreezeWindow));
  const remaining = blocksUntilNextAutoEpoch(s, netuid, ctx.blockNumber) ?? (1n << 64n) - 1n;
  if (remaining < window) throw ctx.error('AutoEpochAlreadyImminent');
  const key = { OwnerHyperparamUpdate: [netuid, 'TriggerEpoch'] as [number, 'TriggerEpoch'] };
  const limit = BigInt(num(s, Tempo, [netuid])) * BigInt(num(s, OwnerHyperparamRateLimit));
  if (!passesRateLimit(limit, ctx.blockNumber, lastRateLimitedBlock(s, key))) throw ctx.error('TxRateLimitExceeded');
  const firesAt = BigInt(ctx.blockNumber) + window;
  s.set(PendingEpochAt, [netuid], firesAt);
  setLastRateLimitedBlock(s, key, BigInt(ctx.blockNumber));
  ctx.emit('EpochTriggered', [netuid, who, firesAt]);
}
