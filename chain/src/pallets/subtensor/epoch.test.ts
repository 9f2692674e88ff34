/**
 * Stake as consensus counts it (inherited through childkeys, StakeWeight written each epoch) and an
 * epoch's payment at spec 424: miners by incentive, validators by dividends, the owner cut to the owner
 * hotkey, the owner's own miner incentive burned.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RuntimeHarness } from '../../testing/runtimeHarness.js';
import { hotkeyAlpha } from './staking.js';
import { consensusStake } from './stakeWeight.js';
import * as S from './subtensorStorage.js';
import { readNumbers } from './vectors.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const owner = account(0xa1);
const ownerHot = account(0x01);
const cold = account(0xc1);
const [parent, child, miner] = [account(0x11), account(0x12), account(0x13)];
const TAO = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;
const hex = (a: Uint8Array) => `0x${Buffer.from(a).toString('hex')}`;

let h: RuntimeHarness;
beforeEach(async () => {
  h = await RuntimeHarness.create({ balances: [[hex(owner), 10_000n * TAO], [hex(cold), 10_000n * TAO]], sudo: hex(owner) });
  h.advanceTo(2);
  h.ok(owner, 'subtensorModule', 'registerNetwork', [ownerHot]);
  h.ok('root', 'adminUtils', 'sudoSetAdminFreezeWindow', [0]);
  h.ok(owner, 'adminUtils', 'sudoSetCommitRevealWeightsEnabled', [1, false]);
  h.ok('root', 'adminUtils', 'sudoSetWeightsSetRateLimit', [1, 0]);
  for (const hk of [parent, child, miner]) h.ok(cold, 'subtensorModule', 'burnedRegister', [1, hk]);
  h.ok(owner, 'subtensorModule', 'startCall', [1]);
  h.ok(cold, 'subtensorModule', 'addStake', [parent, 1, 100n * TAO]);
  h.ok(cold, 'subtensorModule', 'addStake', [child, 1, 10n * TAO]);
});

describe('inherited stake', () => {
  it('moves a share of the parent’s alpha to the child (ChildKeys / ParentKeys, proportion of u64::MAX)', () => {
    // After start_call children are scheduled: the devnet's cooldown is root-settable.
    h.ok('root', 'subtensorModule', 'setPendingChildkeyCooldown', [0]);
    h.nextBlock();
    h.ok(cold, 'subtensorModule', 'setChildren', [parent, 1, [[U64_MAX / 2n, child]]]);
    expect(h.storage.tryGet(S.PendingChildKeys, [1, parent])).toBeDefined();
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 5]);
    h.advanceTo(h.block + 5);
    expect((h.read(S.ChildKeys, [parent, 1]) as unknown as unknown[]).length).toBe(1);
    const aParent = hotkeyAlpha(h.storage, parent, 1);
    const aChild = hotkeyAlpha(h.storage, child, 1);
    // The child gains about half of the parent's alpha, the parent keeps the rest (U96F32 rounds p / u64::MAX
    // down to 32 fractional bits, so a few rao per 2^32 stay with the parent).
    const lent = consensusStake(h.storage, child, 1).alpha - aChild;
    expect(aParent / 2n - lent).toBeGreaterThanOrEqual(0n);
    expect(aParent / 2n - lent).toBeLessThanOrEqual(aParent / 2n ** 31n + 1n);
    expect(consensusStake(h.storage, parent, 1).alpha + lent - aParent).toBeLessThanOrEqual(1n);
  });

  it('is what the epoch writes to StakeWeight (normalised, floored to u16)', () => {
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 5]);
    // Stakes as the epoch sees them: read just before its block (the epoch pays out after computing).
    h.advanceTo(h.block + 4);
    const stakes = [ownerHot, parent, child, miner].map((k) => consensusStake(h.storage, k, 1).totalRao);
    const total = stakes.reduce((a, b) => a + b, 0n);
    h.nextBlock();
    const weights = readNumbers(h.storage, S.StakeWeight, 1);
    stakes.forEach((st, uid) => expect(Math.abs((weights[uid] ?? 0) - Number((st * 65535n) / total))).toBeLessThanOrEqual(1));
  });
});

describe("an epoch's payment", () => {
  it('pays the miner by incentive, the validator by dividends and the owner cut to the owner hotkey', () => {
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 5]);
    // First epoch: permits by stake (the owner uid always has one).
    h.advanceTo(h.block + 5);
    // The owner's uid always has one; the unstaked miner none.
    expect(h.storage.get(S.ValidatorPermit, [1]).toJSON()).toEqual([true, true, true, false]);
    h.ok(parent, 'subtensorModule', 'setWeights', [1, [3], [65535], 0]);
    const before = [ownerHot, parent, miner].map((k) => hotkeyAlpha(h.storage, k, 1));
    const pendingServer = BigInt(h.read(S.PendingServerEmission, [1]).toString());
    const ownerCut = BigInt(h.read(S.PendingOwnerCut, [1]).toString());
    h.advanceTo(h.block + 5);
    const after = [ownerHot, parent, miner].map((k) => hotkeyAlpha(h.storage, k, 1));
    const gained = after.map((a, i) => a - (before[i] ?? 0n));
    expect(gained[2]).toBeGreaterThan(0n);
    expect(gained[1]).toBeGreaterThan(0n);
    expect(gained[0]).toBeGreaterThanOrEqual(ownerCut);
    expect(gained[2]).toBeLessThanOrEqual(pendingServer + 5n * 410_002_288n);
    expect(h.events().some((e) => e.name === 'subtensorModule.IncentiveAlphaEmittedToMiners')).toBe(true);
  });
});
