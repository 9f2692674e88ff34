import { windowStartBlock } from '@crucible/core';

/**
 * Wall-clock estimates from block arrivals: when will block N appear? Every party times a window by
 * chain blocks, but training must stop by the clock, so the miner projects the next window's first
 * block from the newest block it saw and the measured block interval (a moving average; the first
 * estimate comes from chain timestamps or configuration).
 */
export class BlockClock {
  private lastBlock = -1;
  private lastSeenAt = 0;
  private intervalMs: number;

  constructor(
    initialIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = Math.max(1, initialIntervalMs);
  }

  /** Records that `block` was seen now; consecutive blocks refine the interval estimate. */
  observe(block: number): void {
    const at = this.now();
    if (block <= this.lastBlock) return;
    if (this.lastBlock >= 0) {
      const measured = (at - this.lastSeenAt) / (block - this.lastBlock);
      // Smooth, but let a slow chain raise the estimate quickly: being late costs more than being early.
      const weight = measured > this.intervalMs ? 0.5 : 0.2;
      this.intervalMs = this.intervalMs * (1 - weight) + measured * weight;
    }
    this.lastBlock = block;
    this.lastSeenAt = at;
  }

  get block(): number {
    return this.lastBlock;
  }

  get blockIntervalMs(): number {
    return this.intervalMs;
  }

  /** Estimated wall-clock time (ms since epoch) at which `block` appears. */
  timeOfBlock(block: number): number {
    if (this.lastBlock < 0) return this.now() + block * this.intervalMs;
    return this.lastSeenAt + (block - this.lastBlock) * this.intervalMs;
  }

  /** Estimated time of the first block of `window + 1`, the upload deadline of `window`. */
  windowDeadline(window: number, blocksPerWindow: number): number {
    return this.timeOfBlock(windowStartBlock(window + 1, blocksPerWindow));
  }
}
