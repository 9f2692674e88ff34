import { describeError, type Keypair, type Logger } from '@crucible/core';
import { readNeuronRows, type ChainClient } from '@crucible/chain';
import { checkpointSources, type CheckpointSource } from '@crucible/protocol';
import type { BucketPointer, PeerStores, S3Store } from '@crucible/storage';
import type { BlockClock } from './blockClock.js';
import { withTimeout } from './chainTime.js';
import type { MinerConfig } from './config.js';
import type { HeldCheckpoints } from './heldCheckpoints.js';
import { publishBucketPointer } from './chainIdentity.js';
import type { MinerMetrics } from './minerMetrics.js';
import type { StateStore } from './stateStore.js';
import type { TrainingEngine } from './trainingEngine.js';

/** Everything one window needs, shared across windows. */
export interface MinerContext {
  config: MinerConfig;
  logger: Logger;
  hotkey: Keypair;
  client: ChainClient;
  store: S3Store;
  /** Read-only clients of other neurons' buckets (checkpoint sources), one per pointer. */
  peers: PeerStores;
  state: StateStore;
  checkpoints: HeldCheckpoints;
  clock: BlockClock;
  engine: TrainingEngine;
  metrics: MinerMetrics;
  genesisHash: `0x${string}`;
  pointer: BucketPointer;
  /** Mutable across windows. */
  live: {
    registered: boolean;
    pointerPublished: boolean;
    sources: CheckpointSource[];
    ownerHotkey: string | undefined;
    stopping: boolean;
    /** The sync in flight, if any (see syncWithChain). */
    syncing?: Promise<void>;
    /** The last window's record (its outcome's commit and fsyncs) while it runs beside the next window; never rejects. */
    tail?: Promise<void>;
  };
}

/** Re-reads the subnet's neurons: registration, and the buckets checkpoints may come from. */
export async function refreshSources(ctx: MinerContext): Promise<void> {
  const rows = await withTimeout(readNeuronRows(ctx.client, ctx.config.netuid), 15_000, 'reading the subnet\'s neurons');
  const uid = rows.findIndex((r) => r.hotkey === ctx.hotkey.address);
  const registered = uid >= 0;
  if (registered !== ctx.live.registered) {
    if (registered) ctx.logger.info('hotkey is registered again; uploading resumes', { uid });
    else ctx.logger.error('hotkey is no longer registered on the subnet (deregistered): not uploading until it is registered again', { netuid: ctx.config.netuid });
  }
  ctx.live.registered = registered;
  ctx.metrics.registered.set(registered ? 1 : 0);
  ctx.live.sources = checkpointSources(rows, ctx.live.ownerHotkey, ctx.peers);
}

export async function syncCheckpoints(ctx: MinerContext): Promise<void> {
  const before = ctx.checkpoints.head()?.manifest.window;
  const result = await ctx.checkpoints.sync(ctx.live.sources);
  if (result.rejected.length) ctx.metrics.checkpointsRefused.inc(result.rejected.filter((r) => r.window >= 0).length);
  const head = ctx.checkpoints.head();
  if (head) ctx.metrics.checkpointWindow.set(head.manifest.window);
  if (head && head.manifest.window !== before) ctx.logger.info('following checkpoint', { window: head.manifest.window, paramsHash: head.manifest.paramsHash, signer: head.signer });
}


/**
 * Everything a window learns from the chain and the checkpoint buckets: registration, sources, the
 * bucket pointer (re-committed if an earlier attempt failed) and new checkpoints. Single-flight: a
 * caller arriving while a sync runs shares it. Failures are logged; the last known state stays.
 */
export function syncWithChain(ctx: MinerContext): Promise<void> {
  ctx.live.syncing ??= (async () => {
    try {
      await refreshSources(ctx);
    } catch (error) {
      ctx.logger.warn('metagraph refresh failed; using the last known sources', { error: describeError(error) });
    }
    if (ctx.live.registered && !ctx.live.pointerPublished) {
      const publishing = publishBucketPointer(ctx.client, { netuid: ctx.config.netuid, hotkey: ctx.hotkey, pointer: ctx.pointer, logger: ctx.logger });
      const result = await withTimeout(publishing, 30_000, 'committing the bucket pointer').catch(() => 'failed' as const);
      ctx.live.pointerPublished = result !== 'failed';
    }
    try {
      // Bounded, so a hung request can't hold the single-flight slot (and every later sync) forever.
      await withTimeout(syncCheckpoints(ctx), 120_000, 'the checkpoint sync');
    } catch (error) {
      ctx.logger.warn('checkpoint sync failed; keeping the checkpoints held', { error: describeError(error) });
    }
  })().finally(() => {
    ctx.live.syncing = undefined;
  });
  return ctx.live.syncing;
}
