/**
 * Epoch scheduling at spec 424: period Tempo anchored on LastEpochBlock, SubnetEpochIndex counting
 * consumed slots, root's sudo_set_tempo resetting the cycle, at most MaxEpochsPerBlock epochs per
 * block (the rest deferred with EpochDeferred), and the owner's trigger_epoch.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RuntimeHarness } from '../../testing/runtimeHarness.js';
import { nextEpochStartBlock, shouldRunEpoch } from './epochSchedule.js';
import * as S from './subtensorStorage.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const owner = account(0xa1);
const TAO = 1_000_000_000n;
const hex = (a: Uint8Array) => `0x${Buffer.from(a).toString('hex')}`;
const n = (h: RuntimeHarness, item: Parameters<RuntimeHarness['read']>[0], keys: unknown[]) => Number(h.read(item, keys).toString());

let h: RuntimeHarness;
beforeEach(async () => {
  h = await RuntimeHarness.create({ balances: [[hex(owner), 10_000n * TAO]], sudo: hex(owner) });
  h.advanceTo(2);
  for (let i = 0; i < 3; i++) h.ok(owner, 'subtensorModule', 'registerNetwork', [account(0x01 + i)]);
  h.nextBlock();
});

describe('the stateful schedule', () => {
  it('runs every Tempo blocks from LastEpochBlock and counts each slot in SubnetEpochIndex', () => {
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 10]);
    const anchor = h.block;
    expect(n(h, S.LastEpochBlock, [1])).toBe(anchor);
    expect(nextEpochStartBlock(h.storage, 1)).toBe(BigInt(anchor + 10));
    h.advanceTo(anchor + 9);
    expect(n(h, S.SubnetEpochIndex, [1])).toBe(0);
    h.advanceTo(anchor + 10);
    expect(n(h, S.SubnetEpochIndex, [1])).toBe(1);
    expect(n(h, S.LastEpochBlock, [1])).toBe(anchor + 10);
    expect(n(h, S.LastMechansimStepBlock, [1])).toBe(anchor + 10);
    h.advanceTo(anchor + 20);
    expect(n(h, S.SubnetEpochIndex, [1])).toBe(2);
    // Tempo 0 never runs.
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 0]);
    expect(shouldRunEpoch(h.storage, 1, h.block + 100)).toBe(false);
  });

  it('runs at most MaxEpochsPerBlock epochs in a block and defers the rest to the next block', () => {
    for (const netuid of [1, 2, 3]) h.ok('root', 'adminUtils', 'sudoSetTempo', [netuid, 10]);
    const anchor = h.block;
    h.advanceTo(anchor + 10);
    expect([1, 2, 3].map((netuid) => n(h, S.SubnetEpochIndex, [netuid]))).toEqual([1, 1, 0]);
    expect(h.events().find((e) => e.name === 'subtensorModule.EpochDeferred')?.data).toEqual([3, anchor + 10, anchor + 11]);
    h.nextBlock();
    expect(n(h, S.SubnetEpochIndex, [3])).toBe(1);
    expect(n(h, S.LastEpochBlock, [3])).toBe(anchor + 11);
  });

  it('lets the owner trigger an epoch AdminFreezeWindow blocks ahead, only with commit-reveal off', () => {
    expect(h.errorOf(owner, 'subtensorModule', 'triggerEpoch', [1])).toBe('SubtensorModule.DynamicTempoBlockedByCommitReveal');
    h.ok(owner, 'adminUtils', 'sudoSetCommitRevealWeightsEnabled', [1, false]);
    const events = h.ok(owner, 'subtensorModule', 'triggerEpoch', [1]);
    const firesAt = h.block + 10;
    expect(events.find((e) => e.name === 'subtensorModule.EpochTriggered')?.data.slice(2)).toEqual([firesAt]);
    expect(h.errorOf(owner, 'subtensorModule', 'triggerEpoch', [1])).toBe('SubtensorModule.EpochTriggerAlreadyPending');
    h.advanceTo(firesAt);
    expect(n(h, S.SubnetEpochIndex, [1])).toBe(1);
    expect(n(h, S.PendingEpochAt, [1])).toBe(0);
  });
});
