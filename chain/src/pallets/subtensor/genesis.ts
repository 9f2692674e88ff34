/**
 * SubtensorModule's devnet genesis. Storage defaults are the reference runtime's, except these, which
 * let tests and local subnets create subnets freely (override with `GenesisConfig.pallets.SubtensorModule`):
 *
 * | item | devnet | finney default |
 * | --- | --- | --- |
 * | NetworkRateLimit | 0 blocks | 7200 |
 * | NetworkMinLockCost, NetworkLastLockCost | 100 TAO | 1000 TAO |
 * | NetworkLockReductionInterval | 1 block (the lock cost falls back to the minimum two blocks after a registration) | 100,800 |
 * | SubnetLimit | 32 | 128 |
 * | PendingChildKeyCooldown | 7200 blocks (as finney) | 7200 |
 */
import type { DispatchContext, GenesisConfig } from '../../runtime/pallet.js';
import { NetworkLastLockCost, NetworkLockReductionInterval, NetworkMinLockCost, NetworkRateLimit, PendingChildKeyCooldown, SubnetLimit } from './subtensorStorage.js';

export interface SubtensorGenesis {
  networkRateLimit?: number;
  networkMinLockCost?: bigint | number;
  networkLockReductionInterval?: number;
  subnetLimit?: number;
  pendingChildKeyCooldown?: number;
}

export function subtensorGenesis(ctx: DispatchContext, config: GenesisConfig): void {
  const g = (config.pallets?.['SubtensorModule'] ?? {}) as SubtensorGenesis;
  const minLock = BigInt(g.networkMinLockCost ?? 100_000_000_000n);
  ctx.storage.set(NetworkRateLimit, [], BigInt(g.networkRateLimit ?? 0));
  ctx.storage.set(NetworkMinLockCost, [], minLock);
  ctx.storage.set(NetworkLastLockCost, [], minLock);
  ctx.storage.set(NetworkLockReductionInterval, [], BigInt(g.networkLockReductionInterval ?? 1));
  ctx.storage.set(SubnetLimit, [], g.subnetLimit ?? 32);
  if (g.pendingChildKeyCooldown !== undefined) ctx.storage.set(PendingChildKeyCooldown, [], BigInt(g.pendingChildKeyCooldown));
}
