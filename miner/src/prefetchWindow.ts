import { describeError } from '@crucible/core';
import { bestChainHashAt } from '@crucible/chain';
import { windowPlan, type RunConfig } from '@crucible/protocol';
import { withTimeout } from './chainTime.js';
import type { MinerContext } from './minerContext.js';

const started = new WeakMap<MinerContext, number>();

/**
 * Called on the first block of `window`: fetches the pages this miner is assigned in it into the disk
 * cache, beside whatever the miner is still doing for the previous window (encoding, uploading), so the
 * window's training finds them local. Pages are known only once the window's first block exists (its
 * hash seeds them). Only for a run on a dataset (a corpus is in memory); once per window; never throws.
 */
export async function prefetchWindow(ctx: MinerContext, run: RunConfig, window: number): Promise<void> {
  const data = ctx.engine.dataIfOpen;
  if (!run.dataset || !data || (started.get(ctx) ?? -1) >= window) return;
  started.set(ctx, window);
  try {
    const hash = await withTimeout(bestChainHashAt(ctx.client, window * run.window.blocksPerWindow), 10_000, 'reading the window block hash');
    const plan = windowPlan(run, { genesisHash: ctx.genesisHash, window, windowBlockHash: hash });
    await data.prefetch(plan.pagesOf(ctx.hotkey.address), window);
  } catch (error) {
    ctx.logger.debug('prefetch skipped', { window, error: describeError(error) });
  }
}
