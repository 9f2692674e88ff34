import { watchBlocks, type ChainClient } from '@crucible/chain';

/**
 * When this validator first saw each new block, on its own clock: the deadline an upload is judged
 * against is "this validator had seen the deadline block" (plus a grace), never a time a miner's server
 * reports. Blocks seen before the observer started have no time.
 */
export class BlockObserver {
  private readonly seenAt = new Map<number, number>();
  private best = -1;
  private readonly waiters = new Set<{ block: number; resolve: () => void }>();
  private unsubscribe: (() => void) | undefined;

  static async start(client: ChainClient, onBlock?: (block: number) => void): Promise<BlockObserver> {
    const o = new BlockObserver();
    o.unsubscribe = await watchBlocks(client, 1, (tick) => {
      o.observe(tick.block);
      onBlock?.(tick.block);
    });
    return o;
  }

  /** Records a block (exported for tests that drive the clock themselves). */
  observe(block: number, at = Date.now()): void {
    if (block <= this.best) return;
    for (let b = this.best + 1; b <= block; b++) if (this.best >= 0) this.seenAt.set(b, at);
    this.seenAt.set(block, at);
    this.best = block;
    // Bounded memory: a window's worth of history is plenty for any deadline still being judged.
    for (const b of this.seenAt.keys()) if (b < block - 10_000) this.seenAt.delete(b);
    for (const w of [...this.waiters]) {
      if (w.block <= block) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  get bestBlock(): number {
    return this.best;
  }

  /** When this validator first saw `block`; undefined when it was before the observer started (or not yet). */
  seen(block: number): number | undefined {
    return this.seenAt.get(block);
  }

  /** Resolves once `block` is seen (or the signal aborts). */
  async reached(block: number, signal?: AbortSignal): Promise<void> {
    if (this.best >= block || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const waiter = { block, resolve };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', () => {
        this.waiters.delete(waiter);
        resolve();
      }, { once: true });
    });
  }

  close(): void {
    this.unsubscribe?.();
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
  }
}
