/**
 * Owner versus root at spec 424: the subnet owner signs owner setters directly (rate limited per
 * hyperparameter, not inside the freeze window); root-only setters refuse the owner with BadOrigin;
 * the owner's set_tempo is bounded to [360, 50400]; root may set any tempo.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RuntimeHarness } from '../../testing/runtimeHarness.js';
import * as S from '../subtensor/subtensorStorage.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const owner = account(0xa1);
const stranger = account(0xb2);
const TAO = 1_000_000_000n;
const hex = (a: Uint8Array) => `0x${Buffer.from(a).toString('hex')}`;
const n = (h: RuntimeHarness, item: Parameters<RuntimeHarness['read']>[0], keys: unknown[]) => Number(h.read(item, keys).toString());

let h: RuntimeHarness;
beforeEach(async () => {
  h = await RuntimeHarness.create({ balances: [[hex(owner), 10_000n * TAO], [hex(stranger), 10_000n * TAO]], sudo: '//Alice' });
  h.advanceTo(2);
  h.ok(owner, 'subtensorModule', 'registerNetwork', [account(0x01)]);
  h.nextBlock();
});

describe('AdminUtils origins', () => {
  it('lets the owner sign owner setters directly, and refuses anyone else with BadOrigin', () => {
    const events = h.ok(owner, 'adminUtils', 'sudoSetMinAllowedWeights', [1, 3]);
    expect(events.map((e) => e.name)).toContain('subtensorModule.MinAllowedWeightSet');
    expect(n(h, S.MinAllowedWeights, [1])).toBe(3);
    expect(h.errorOf(stranger, 'adminUtils', 'sudoSetMinAllowedWeights', [1, 4])).toBe('BadOrigin');
    h.ok(owner, 'adminUtils', 'sudoSetCommitRevealWeightsEnabled', [1, false]);
    expect(h.read(S.CommitRevealWeightsEnabled, [1]).toJSON()).toBe(false);
  });

  it('refuses root-only setters to the owner with BadOrigin (they need Sudo.sudo)', () => {
    for (const [call, value] of [
      ['sudoSetWeightsSetRateLimit', 0],
      ['sudoSetKappa', 100],
      ['sudoSetMaxAllowedValidators', 8],
      ['sudoSetNetworkRegistrationAllowed', false],
      ['sudoSetTempo', 20],
    ] as const) {
      expect(h.errorOf(owner, 'adminUtils', call, [1, value]), call).toBe('BadOrigin');
      expect(h.errorOf('root', 'adminUtils', call, [1, value]), call).toBeUndefined();
    }
  });

  it('rate limits the owner per hyperparameter (OwnerHyperparamRateLimit × Tempo), not root', () => {
    h.ok(owner, 'adminUtils', 'sudoSetImmunityPeriod', [1, 100]);
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetImmunityPeriod', [1, 101])).toBe('SubtensorModule.TxRateLimitExceeded');
    // Another hyperparameter has its own clock; root is not limited.
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetServingRateLimit', [1, 10])).toBeUndefined();
    expect(h.errorOf('root', 'adminUtils', 'sudoSetImmunityPeriod', [1, 102])).toBeUndefined();
    // The limit is 2 tempos: with root's tempo 20 that is 40 blocks.
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 20]);
    const from = h.block;
    h.advanceTo(from + 5);
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetImmunityPeriod', [1, 101])).toBe('SubtensorModule.TxRateLimitExceeded');
  });

  it('refuses setters inside the freeze window, for root too', () => {
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 20]);
    const anchor = h.block;
    h.advanceTo(anchor + 11);
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetMinAllowedWeights', [1, 2])).toBe('SubtensorModule.AdminActionProhibitedDuringWeightsWindow');
    expect(h.errorOf('root', 'adminUtils', 'sudoSetTempo', [1, 30])).toBe('SubtensorModule.AdminActionProhibitedDuringWeightsWindow');
    h.advanceTo(anchor + 20);
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetMinAllowedWeights', [1, 2])).toBeUndefined();
  });

  it("bounds the owner's set_tempo to [MinTempo, MaxTempo] and resets the epoch cycle; root may set any tempo", () => {
    expect(h.errorOf(owner, 'subtensorModule', 'setTempo', [1, 20])).toBe('SubtensorModule.TempoOutOfBounds');
    expect(h.errorOf(owner, 'subtensorModule', 'setTempo', [1, 50_401])).toBe('SubtensorModule.TempoOutOfBounds');
    expect(h.errorOf(stranger, 'subtensorModule', 'setTempo', [1, 400])).toBe('BadOrigin');
    const events = h.ok(owner, 'subtensorModule', 'setTempo', [1, 400]);
    expect(events.find((e) => e.name === 'subtensorModule.TempoSet')?.data).toEqual([1, 400]);
    expect(n(h, S.LastEpochBlock, [1])).toBe(h.block);
    expect(h.errorOf(owner, 'subtensorModule', 'setTempo', [1, 500])).toBe('SubtensorModule.TxRateLimitExceeded');
    expect(h.errorOf('root', 'adminUtils', 'sudoSetTempo', [1, 5])).toBeUndefined();
  });

  it('checks bounds as the chain does', () => {
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetMaxAllowedUids', [1, 300])).toBe('AdminUtils.MaxAllowedUidsGreaterThanDefaultMaxAllowedUids');
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetMaxAllowedUids', [1, 10])).toBe('AdminUtils.MaxAllowedUidsLessThanMinAllowedUids');
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetCommitRevealWeightsInterval', [1, 101])).toBe('SubtensorModule.RevealPeriodTooLarge');
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetMinBurn', [1, 2n * TAO])).toBe('AdminUtils.ValueNotInBounds');
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetBondsMovingAverage', [1, 990_000])).toBe('AdminUtils.BondsMovingAverageMaxReached');
    expect(h.errorOf('root', 'adminUtils', 'sudoSetBondsMovingAverage', [1, 990_000])).toBeUndefined();
    // On a subnet that does not exist nobody is its owner: only root gets as far as the existence check.
    expect(h.errorOf(owner, 'adminUtils', 'sudoSetMinAllowedWeights', [9, 1])).toBe('BadOrigin');
    expect(h.errorOf('root', 'adminUtils', 'sudoSetMinAllowedWeights', [9, 1])).toBe('AdminUtils.SubnetDoesNotExist');
  });
});
