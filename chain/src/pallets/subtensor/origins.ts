/**
 * Who may call what at spec 424 (`utils/misc.rs`): subnet-owner calls, owner-or-root setters with the
 * owner's per-hyperparameter rate limit (one change per `OwnerHyperparamRateLimit × Tempo` blocks;
 * root is not limited), and the admin freeze window (last `AdminFreezeWindow` blocks before an epoch),
 * which applies to root too. Failures are SubtensorModule errors even when AdminUtils calls these.
 */
import { DispatchError } from '../../runtime/dispatchError.js';
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import { accountOf, sameAccount } from './accounts.js';
import { isInAdminFreezeWindow } from './epochSchedule.js';
import { big, num } from './read.js';
import { lastRateLimitedBlock, passesRateLimit, setLastRateLimitedBlock, type Hyperparameter } from './rateLimits.js';
import { OwnerHyperparamRateLimit, SubnetOwner, Tempo, TransactionKeyLastBlock, WeightsVersionKeyRateLimit } from './subtensorStorage.js';
import { subtensorErrors } from './subtensorEvents.js';

const SUBTENSOR_INDEX = 7;

/** A SubtensorModule error, for calls of other pallets that run subtensor's checks. */
export function subtensorError(name: string): DispatchError {
  const e = subtensorErrors.find((x) => x.name === name);
  if (e === undefined) throw new Error(`SubtensorModule declares no error ${name}`);
  return DispatchError.module(SUBTENSOR_INDEX, e.index, `SubtensorModule.${name}`);
}

/** `ensure_subnet_owner`: the signer must be `SubnetOwner[netuid]`, else BadOrigin. */
export function ensureSubnetOwner(ctx: DispatchContext, netuid: number): AccountId {
  const who = ctx.ensureSigned();
  if (!sameAccount(who, accountOf(ctx.storage.get(SubnetOwner, [netuid])))) throw DispatchError.badOrigin();
  return who;
}

/** `ensure_subnet_owner_or_root`: the owner's account, or undefined for root. */
export function ensureOwnerOrRoot(ctx: DispatchContext, netuid: number): AccountId | undefined {
  if (ctx.origin.kind === 'Root') return undefined;
  return ensureSubnetOwner(ctx, netuid);
}

/** One of the owner's rate limits: where its last block is kept and how many blocks must pass. */
export interface OwnerRateLimit {
  readonly limit: bigint;
  last(owner: AccountId): bigint;
  record(owner: AccountId, block: bigint): void;
}

/** `OwnerHyperparamUpdate(h)`: one change per OwnerHyperparamRateLimit × Tempo blocks. */
export function hyperparameterLimit(ctx: DispatchContext, netuid: number, h: Hyperparameter): OwnerRateLimit {
  const key = { OwnerHyperparamUpdate: [netuid, h] as [number, Hyperparameter] };
  return {
    limit: BigInt(num(ctx.storage, Tempo, [netuid])) * BigInt(num(ctx.storage, OwnerHyperparamRateLimit)),
    last: () => lastRateLimitedBlock(ctx.storage, key),
    record: (_owner, block) => setLastRateLimitedBlock(ctx.storage, key, block),
  };
}

/** `SetWeightsVersionKey`: one change per WeightsVersionKeyRateLimit × Tempo blocks, kept per owner. */
export function weightsVersionKeyLimit(ctx: DispatchContext, netuid: number): OwnerRateLimit {
  const tx = 4;
  return {
    limit: BigInt(num(ctx.storage, Tempo, [netuid])) * big(ctx.storage, WeightsVersionKeyRateLimit),
    last: (owner) => big(ctx.storage, TransactionKeyLastBlock, [owner, netuid, tx]),
    record: (owner, block) => ctx.storage.set(TransactionKeyLastBlock, [owner, netuid, tx], block),
  };
}

/** `ensure_sn_owner_or_root_with_limits`: the owner (not root) must pass every limit. */
export function ensureOwnerOrRootWithLimits(ctx: DispatchContext, netuid: number, limits: readonly OwnerRateLimit[]): AccountId | undefined {
  const owner = ensureOwnerOrRoot(ctx, netuid);
  if (owner !== undefined) {
    for (const l of limits) if (!passesRateLimit(l.limit, ctx.blockNumber, l.last(owner))) throw subtensorError('TxRateLimitExceeded');
  }
  return owner;
}

/** `record_owner_rl`: remembers the block of an owner's (not root's) change. */
export function recordOwnerRateLimit(ctx: DispatchContext, owner: AccountId | undefined, limits: readonly OwnerRateLimit[]): void {
  if (owner === undefined) return;
  for (const l of limits) l.record(owner, BigInt(ctx.blockNumber));
}

/** `ensure_admin_window_open`: AdminActionProhibitedDuringWeightsWindow inside the freeze window. */
export function ensureAdminWindowOpen(ctx: DispatchContext, netuid: number): void {
  if (isInAdminFreezeWindow(ctx.storage, netuid, ctx.blockNumber)) throw subtensorError('AdminActionProhibitedDuringWeightsWindow');
}
