/**
 * Staking at spec 424: SubtokenEnabled gating, the minimum stake with the swap fee, the pool swap and
 * its fee in StakeAdded / StakeRemoved, the limit variants, and remove_stake clamped to what is held.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RuntimeHarness } from '../../testing/runtimeHarness.js';
import { coldkeyAlpha } from './staking.js';
import * as S from './subtensorStorage.js';
import { swapFee } from './swap.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const owner = account(0xa1);
const ownerHot = account(0x01);
const staker = account(0xb2);
const TAO = 1_000_000_000n;
const big = (h: RuntimeHarness, item: Parameters<RuntimeHarness['read']>[0], keys: unknown[] = []) => BigInt(h.read(item, keys).toString());
const hex = (a: Uint8Array) => `0x${Buffer.from(a).toString('hex')}`;

let h: RuntimeHarness;
beforeEach(async () => {
  h = await RuntimeHarness.create({ balances: [[hex(owner), 10_000n * TAO], [hex(staker), 10_000n * TAO]], sudo: '//Alice' });
  h.advanceTo(3);
  h.ok(owner, 'subtensorModule', 'registerNetwork', [ownerHot]);
});

describe('add_stake', () => {
  it('is refused until the owner calls start_call (SubtokenDisabled)', () => {
    expect(h.errorOf(staker, 'subtensorModule', 'addStake', [ownerHot, 1, 10n * TAO])).toBe('SubtensorModule.SubtokenDisabled');
  });

  it('requires DefaultMinStake plus the swap fee on it', () => {
    h.ok(owner, 'subtensorModule', 'startCall', [1]);
    const fee = swapFee(h.storage, 1, 2_000_000n);
    expect(fee).toBe(1007n);
    expect(h.errorOf(staker, 'subtensorModule', 'addStake', [ownerHot, 1, 2_000_000n + fee - 1n])).toBe('SubtensorModule.AmountTooLow');
    expect(h.errorOf(staker, 'subtensorModule', 'addStake', [ownerHot, 1, 2_000_000n + fee])).toBeUndefined();
  });

  it('swaps through the pool: fee = amount · 33/65535 (U64F64), alpha = x·∆/(y+∆), reported in StakeAdded', () => {
    h.ok(owner, 'subtensorModule', 'startCall', [1]);
    const amount = 10n * TAO;
    const x = big(h, S.SubnetAlphaIn, [1]);
    const y = big(h, S.SubnetTAO, [1]);
    const events = h.ok(staker, 'subtensorModule', 'addStake', [ownerHot, 1, amount]);
    const fee = (amount * ((33n << 64n) / 65535n)) >> 64n;
    const paidIn = amount - fee;
    const alpha = (x * paidIn) / (y + paidIn);
    const added = events.find((e) => e.name === 'subtensorModule.StakeAdded');
    expect(added?.data.slice(2).map(String)).toEqual([amount, alpha, 1, fee].map(String));
    expect(coldkeyAlpha(h.storage, ownerHot, staker, 1)).toBe(alpha);
    expect(big(h, S.SubnetTAO, [1])).toBe(y + paidIn);
    expect(big(h, S.SubnetAlphaIn, [1])).toBe(x - alpha);
    expect(big(h, S.SubnetAlphaOut, [1])).toBe(alpha);
  });

  it('add_stake_limit refuses to pass the limit price unless partial fills are allowed', () => {
    h.ok(owner, 'subtensorModule', 'startCall', [1]);
    // Price 1 TAO per alpha now; staking 100 TAO into a 100 TAO pool would quadruple it.
    const limit = 1_500_000_000n;
    expect(h.errorOf(staker, 'subtensorModule', 'addStakeLimit', [ownerHot, 1, 100n * TAO, limit, false])).toBe('SubtensorModule.SlippageTooHigh');
    const events = h.ok(staker, 'subtensorModule', 'addStakeLimit', [ownerHot, 1, 100n * TAO, limit, true]);
    const staked = BigInt(String(events.find((e) => e.name === 'subtensorModule.StakeAdded')?.data[2]));
    expect(staked).toBeLessThan(100n * TAO);
    // The price after the fill is at (or just under) the limit.
    const price = (big(h, S.SubnetTAO, [1]) * TAO) / big(h, S.SubnetAlphaIn, [1]);
    expect(price).toBeLessThanOrEqual(limit);
    expect(price).toBeGreaterThan(limit - 1_000_000n);
  });
});

describe('remove_stake', () => {
  beforeEach(() => {
    h.ok(owner, 'subtensorModule', 'startCall', [1]);
    h.ok(staker, 'subtensorModule', 'addStake', [ownerHot, 1, 10n * TAO]);
  });

  it('sells alpha back through the pool with the fee in alpha, reported in StakeRemoved', () => {
    const held = coldkeyAlpha(h.storage, ownerHot, staker, 1);
    const sell = held / 2n;
    const x = big(h, S.SubnetAlphaIn, [1]);
    const y = big(h, S.SubnetTAO, [1]);
    const events = h.ok(staker, 'subtensorModule', 'removeStake', [ownerHot, 1, sell]);
    const fee = (sell * ((33n << 64n) / 65535n)) >> 64n;
    const tao = (y * (sell - fee)) / (x + sell - fee);
    expect(events.find((e) => e.name === 'subtensorModule.StakeRemoved')?.data.slice(2).map(String)).toEqual([tao, sell - fee, 1, fee].map(String));
  });

  it('unstakes what the coldkey holds when asked for more (the chain clamps), and refuses nothing held', () => {
    const held = coldkeyAlpha(h.storage, ownerHot, staker, 1);
    const events = h.ok(staker, 'subtensorModule', 'removeStake', [ownerHot, 1, held * 10n]);
    expect(BigInt(String(events.find((e) => e.name === 'subtensorModule.StakeRemoved')?.data[3]))).toBe(held - swapFee(h.storage, 1, held));
    expect(coldkeyAlpha(h.storage, ownerHot, staker, 1)).toBe(0n);
    expect(h.errorOf(staker, 'subtensorModule', 'removeStake', [ownerHot, 1, 5n * TAO])).toBe('SubtensorModule.AmountTooLow');
  });

  it('refuses to leave a remainder worth less than the minimum stake', () => {
    const held = coldkeyAlpha(h.storage, ownerHot, staker, 1);
    expect(h.errorOf(staker, 'subtensorModule', 'removeStake', [ownerHot, 1, 1_000n])).toBe('SubtensorModule.AmountTooLow');
    expect(h.errorOf(staker, 'subtensorModule', 'removeStake', [ownerHot, 1, held - 1_000n])).toBeUndefined();
  });

  it('remove_stake_limit refuses to sell below the limit price unless partial fills are allowed', () => {
    const held = coldkeyAlpha(h.storage, ownerHot, staker, 1);
    // Staking 10 TAO lifted the price to ≈1.21 TAO; selling it all would bring it back to ≈1.0.
    const limit = 1_100_000_000n;
    expect(h.errorOf(staker, 'subtensorModule', 'removeStakeLimit', [ownerHot, 1, held, limit, false])).toBe('SubtensorModule.SlippageTooHigh');
    expect(h.errorOf(staker, 'subtensorModule', 'removeStakeLimit', [ownerHot, 1, held, 0n, false])).toBeUndefined();
  });
});
