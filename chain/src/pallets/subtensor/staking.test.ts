import { describe, expect, it } from 'vitest';
import { loadReference } from '../../metadata/loadReference.js';
import { MemoryState, Overlay } from '../../runtime/overlay.js';
import { Runtime } from '../../runtime/runtime.js';
import { runtimePallets } from '../../runtime/pallets.js';
import { withIncentivePallets } from './incentivePallets.js';
import { coldkeyAlpha, creditHotkey, hotkeyAlpha, stakeInto, unstakeFrom } from './staking.js';
import { Owner, TotalHotkeyShares } from './subtensorStorage.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const [hot, alice, bob] = [account(1), account(2), account(3)];

function freshStorage() {
  const runtime = new Runtime(withIncentivePallets(runtimePallets), loadReference());
  return runtime.storage(new Overlay(new MemoryState()));
}

describe('share-pool stake bookkeeping', () => {
  it('mints shares at the pool ratio and shares emission pro rata between nominators', () => {
    const s = freshStorage();
    stakeInto(s, hot, alice, 1, 300n);
    stakeInto(s, hot, bob, 1, 100n);
    expect(hotkeyAlpha(s, hot, 1)).toBe(400n);
    // Dividends raise the pool's alpha without new shares: alice 3/4, bob 1/4 of the 200 credited.
    creditHotkey(s, hot, 1, 200n);
    expect(coldkeyAlpha(s, hot, alice, 1)).toBe(450n);
    expect(coldkeyAlpha(s, hot, bob, 1)).toBe(150n);
    // A later staker buys in at the new ratio and does not dilute earlier gains.
    stakeInto(s, hot, bob, 1, 150n);
    expect(coldkeyAlpha(s, hot, alice, 1)).toBe(450n);
    expect(coldkeyAlpha(s, hot, bob, 1)).toBe(300n);
  });

  it('unstaking everything removes every share; partial unstaking keeps the rest', () => {
    const s = freshStorage();
    stakeInto(s, hot, alice, 1, 1_000n);
    stakeInto(s, hot, bob, 1, 500n);
    unstakeFrom(s, hot, alice, 1, 400n);
    expect(coldkeyAlpha(s, hot, alice, 1)).toBe(600n);
    unstakeFrom(s, hot, bob, 1, 500n);
    expect(coldkeyAlpha(s, hot, bob, 1)).toBe(0n);
    expect(hotkeyAlpha(s, hot, 1)).toBe(600n);
    const shares = (s.get(TotalHotkeyShares, [hot, 1]) as unknown as { bits: { toBigInt(): bigint } }).bits.toBigInt();
    expect(shares).toBe(600n << 64n);
  });

  it('credits an empty pool to the hotkey owner as stake', () => {
    const s = freshStorage();
    s.set(Owner, [hot], bob);
    creditHotkey(s, hot, 1, 77n);
    expect(coldkeyAlpha(s, hot, bob, 1)).toBe(77n);
  });
});
