/**
 * Registration at spec 424: the price (×1.26 per registration, per-block decay with BurnHalfLife),
 * register_limit, and pruning (lowest emission, earliest registration; immune uids only below
 * MinNonImmuneUids; the owner's hotkey never).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RuntimeHarness } from '../../testing/runtimeHarness.js';
import { decayFactorQ32, mulQ32 } from './fixedPoint.js';
import { neuronToPrune } from './pruning.js';
import * as S from './subtensorStorage.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const owner = account(0xa1);
const ownerHot = account(0x01);
const coldkey = account(0xc1);
const TAO = 1_000_000_000n;
const hex = (a: Uint8Array) => `0x${Buffer.from(a).toString('hex')}`;
const burn = (h: RuntimeHarness) => BigInt(h.read(S.Burn, [1]).toString());

let h: RuntimeHarness;
beforeEach(async () => {
  h = await RuntimeHarness.create({ balances: [[hex(owner), 10_000n * TAO], [hex(coldkey), 10_000n * TAO]], sudo: hex(owner) });
  h.advanceTo(3);
  h.ok(owner, 'subtensorModule', 'registerNetwork', [ownerHot]);
});

describe('the registration price', () => {
  it('rises by BurnIncreaseMult (1.26, U64F64) after each registration and decays every block', () => {
    const before = burn(h);
    expect(before).toBe(TAO);
    h.ok(coldkey, 'subtensorModule', 'burnedRegister', [1, account(0x10)]);
    const mult = BigInt((h.read(S.BurnIncreaseMult, [1]) as unknown as { bits: { toString(): string } }).bits.toString());
    expect(burn(h)).toBe((before * mult) >> 64n);
    const raised = burn(h);
    h.nextBlock();
    expect(burn(h)).toBe(mulQ32(raised, decayFactorQ32(360)));
    // After a half-life of blocks the price has about halved.
    for (let i = 0; i < 359; i++) h.nextBlock();
    const halved = Number(burn(h)) / Number(raised);
    expect(halved).toBeGreaterThan(0.49);
    expect(halved).toBeLessThan(0.51);
  });

  it('register_limit refuses a price above the limit, and registers at or below it', () => {
    expect(h.errorOf(coldkey, 'subtensorModule', 'registerLimit', [1, account(0x10), TAO - 1n])).toBe('SubtensorModule.RegistrationPriceLimitExceeded');
    const events = h.ok(coldkey, 'subtensorModule', 'registerLimit', [1, account(0x10), TAO]);
    expect(events.find((e) => e.name === 'subtensorModule.NeuronRegistered')?.data[1]).toBe(1);
  });

  it('recycles the burn: the TAO enters the pool and the alpha it bought is destroyed', () => {
    const tao = BigInt(h.read(S.SubnetTAO, [1]).toString());
    h.ok(coldkey, 'subtensorModule', 'burnedRegister', [1, account(0x10)]);
    expect(BigInt(h.read(S.SubnetTAO, [1]).toString())).toBeGreaterThan(tao);
    expect(BigInt(h.read(S.SubnetAlphaOut, [1]).toString())).toBe(0n);
    expect(BigInt(h.read(S.RAORecycledForRegistration, [1]).toString())).toBe(TAO);
  });
});

describe('pruning a full subnet', () => {
  beforeEach(() => {
    // MinAllowedUids (64 by default) must be below the number of uids and the new maximum first.
    for (const [setter, value] of [
      ['sudoSetMinAllowedUids', 0],
      ['sudoSetMaxAllowedUids', 4],
      ['sudoSetImmunityPeriod', 0],
    ] as const) {
      h.ok('root', 'adminUtils', setter, [1, value]);
    }
    for (let i = 0; i < 3; i++) {
      h.nextBlock();
      h.ok(coldkey, 'subtensorModule', 'burnedRegister', [1, account(0x10 + i)]);
    }
  });

  it('never picks the owner hotkey; prefers non-immune uids only while more than MinNonImmuneUids remain', () => {
    h.nextBlock();
    // All four uids have emission 0 and are out of immunity: MinNonImmuneUids (10) is not exceeded, so an
    // immune candidate is needed, and there is none.
    expect(neuronToPrune(h.storage, 1, h.block)).toBeUndefined();
    h.ok('root', 'adminUtils', 'sudoSetMinNonImmuneUids', [1, 0]);
    // Lowest emission (all 0), then earliest registration: uid 1; the owner's uid 0 is excluded.
    expect(neuronToPrune(h.storage, 1, h.block)).toBe(1);
    h.storage.set(S.Emission, [1], [0n, 5n, 3n, 9n]);
    expect(neuronToPrune(h.storage, 1, h.block)).toBe(2);
  });

  it('replaces the chosen uid on registration and refuses when none can be pruned', () => {
    h.nextBlock();
    expect(h.errorOf(coldkey, 'subtensorModule', 'burnedRegister', [1, account(0x20)])).toBe('SubtensorModule.NoNeuronIdAvailable');
    h.ok('root', 'adminUtils', 'sudoSetMinNonImmuneUids', [1, 0]);
    const events = h.ok(coldkey, 'subtensorModule', 'burnedRegister', [1, account(0x20)]);
    expect(events.find((e) => e.name === 'subtensorModule.NeuronRegistered')?.data[1]).toBe(1);
    expect(h.storage.tryGet(S.Uids, [1, account(0x10)])).toBeUndefined();
    expect(Buffer.from(h.read(S.Keys, [1, 0]).toU8a())).toEqual(Buffer.from(ownerHot));
  });
});
