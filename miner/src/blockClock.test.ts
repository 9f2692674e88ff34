import { describe, expect, it } from 'vitest';
import { BlockClock } from './blockClock.js';

describe('BlockClock', () => {
  it('projects a future block from the last one seen and the measured interval', () => {
    let now = 1_000;
    const clock = new BlockClock(12_000, () => now);
    clock.observe(100);
    expect(clock.timeOfBlock(105)).toBe(1_000 + 5 * 12_000);
    // Blocks arrive every 500 ms: the estimate moves toward it.
    for (let b = 101; b <= 140; b++) {
      now += 500;
      clock.observe(b);
    }
    expect(clock.blockIntervalMs).toBeGreaterThan(499);
    expect(clock.blockIntervalMs).toBeLessThan(520);
    expect(clock.windowDeadline(14, 10)).toBeCloseTo(now + 10 * clock.blockIntervalMs, 6);
  });

  it('ignores repeated or older blocks (a reconnect may replay the head)', () => {
    let now = 0;
    const clock = new BlockClock(1_000, () => now);
    clock.observe(10);
    now = 5_000;
    clock.observe(10);
    clock.observe(9);
    expect(clock.block).toBe(10);
    expect(clock.timeOfBlock(11)).toBe(1_000);
  });

  it('raises the interval quickly when the chain slows down', () => {
    let now = 0;
    const clock = new BlockClock(1_000, () => now);
    clock.observe(1);
    now += 3_000;
    clock.observe(2);
    expect(clock.blockIntervalMs).toBe(2_000);
  });
});
