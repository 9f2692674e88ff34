import { describe, expect, it } from 'vitest';
import { ReadBudget } from './readBudget.js';

describe('a read budget', () => {
  it('counts bytes and requests and refuses once the bytes are spent', () => {
    const budget = new ReadBudget({ timeMs: 60_000, bytes: 100, label: 'miner x' });
    budget.startRequest();
    expect(budget.charge(60)).toBeUndefined();
    expect(budget.bytesLeft).toBe(40);
    expect(budget.exhausted()).toBeUndefined();
    expect(budget.charge(41)).toMatchObject({ code: 'STORAGE_BUDGET', details: { budget: 'bytes', label: 'miner x', bytes: 101, bytesLimit: 100, requests: 1 } });
    expect(budget.exhausted()).toMatchObject({ code: 'STORAGE_BUDGET', details: { budget: 'bytes' } });
  });

  it('runs out of time on its own clock and aborts its signal', async () => {
    const budget = new ReadBudget({ timeMs: 50, bytes: 1e9 });
    expect(budget.signal.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(budget.signal.aborted).toBe(true);
    expect(budget.msLeft).toBe(0);
    expect(budget.exhausted()).toMatchObject({ code: 'STORAGE_BUDGET', details: { budget: 'time' } });
  });

  it("draws on its parent too, and names whichever ran out", async () => {
    const window = new ReadBudget({ timeMs: 50, bytes: 150, label: 'window 3' });
    const miner = new ReadBudget({ timeMs: 60_000, bytes: 100, label: 'miner y', parent: window });
    expect(miner.charge(90)).toBeUndefined();
    expect(window.bytesLeft).toBe(60);
    const other = new ReadBudget({ timeMs: 60_000, bytes: 100, label: 'miner z', parent: window });
    expect(other.bytesLeft).toBe(60);
    expect(other.charge(70)).toMatchObject({ details: { label: 'window 3', budget: 'bytes' } });
    await new Promise((r) => setTimeout(r, 80));
    expect(miner.signal.aborted).toBe(true);
    expect(miner.exhausted()).toMatchObject({ details: { label: 'window 3', budget: 'time' } });
  });

  it('refuses nonsense limits', () => {
    expect(() => new ReadBudget({ timeMs: -1, bytes: 1 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => new ReadBudget({ timeMs: 1, bytes: Number.NaN })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
