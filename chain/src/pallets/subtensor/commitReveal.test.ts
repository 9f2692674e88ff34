/**
 * Commit-reveal (hash, CRv2) at spec 424: on by default so set_weights fails; commit hash as the chain
 * computes it; a reveal accepted only in epoch commit_epoch + RevealPeriodEpochs; too early and too
 * late refused; LastUpdate set by the commit and not by the reveal.
 */
import { u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { devAccount, RuntimeHarness } from '../../testing/runtimeHarness.js';
import { commitHash } from './commitReveal.js';
import * as S from './subtensorStorage.js';
import { readBigints } from './vectors.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const owner = account(0xa1);
const ownerHot = account(0x01);
const TAO = 1_000_000_000n;
const hex = (a: Uint8Array) => `0x${Buffer.from(a).toString('hex')}`;
const TEMPO = 10;

describe('the commit hash', () => {
  it('is BlakeTwo256 of SCALE(hotkey, netuid, uids, values, salt, version_key): the reference vector', () => {
    const hash = commitHash(devAccount('//Alice'), 1, [0, 1], [65535, 32768], [1, 2, 3, 4, 5, 6, 7, 8], 0n);
    expect(u8aToHex(hash)).toBe('0x15d1d763685dfce22d8650296059d5767f0932787b33a80c31d996c3d36b6eef');
  });
});

describe('commit and reveal on a subnet', () => {
  let h: RuntimeHarness;
  const reveal = { uids: [0], values: [65535], salt: [7, 7, 7], versionKey: 0n };
  const args = (r = reveal) => [1, r.uids, r.values, r.salt, r.versionKey];
  const epoch = () => BigInt(h.read(S.SubnetEpochIndex, [1]).toString());
  const nextEpochBlock = () => Number(h.read(S.LastEpochBlock, [1]).toString()) + TEMPO;

  beforeEach(async () => {
    h = await RuntimeHarness.create({ balances: [[hex(owner), 10_000n * TAO]], sudo: hex(owner) });
    h.advanceTo(2);
    h.ok(owner, 'subtensorModule', 'registerNetwork', [ownerHot]);
    // With tempo 10 the default freeze window (10 blocks) would freeze every setter for good.
    h.ok('root', 'adminUtils', 'sudoSetAdminFreezeWindow', [2]);
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, TEMPO]);
    h.ok('root', 'adminUtils', 'sudoSetWeightsSetRateLimit', [1, 0]);
    h.nextBlock();
  });

  it('refuses set_weights while commit-reveal is on (the default), and commit_weights once it is off', () => {
    expect(h.errorOf(ownerHot, 'subtensorModule', 'setWeights', [1, [0], [65535], 0])).toBe('SubtensorModule.CommitRevealEnabled');
    h.ok(owner, 'adminUtils', 'sudoSetCommitRevealWeightsEnabled', [1, false]);
    expect(h.errorOf(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, [0], [65535], [1], 0n)])).toBe('SubtensorModule.CommitRevealDisabled');
    expect(h.errorOf(ownerHot, 'subtensorModule', 'setWeights', [1, [0], [65535], 0])).toBeUndefined();
  });

  it('accepts the reveal only in the epoch after the commit: too early and too late are refused', () => {
    const hash = commitHash(ownerHot, 1, reveal.uids, reveal.values, reveal.salt, reveal.versionKey);
    const committedAt = epoch();
    const events = h.ok(ownerHot, 'subtensorModule', 'commitWeights', [1, hash]);
    expect(events.find((e) => e.name === 'subtensorModule.WeightsCommitted')?.data).toEqual([encodeAddress(ownerHot, 42), 1, u8aToHex(hash)]);
    expect(readBigints(h.storage, S.LastUpdate, 1)[0]).toBe(BigInt(h.block));
    const commitBlock = h.block;
    expect(h.errorOf(ownerHot, 'subtensorModule', 'revealWeights', args())).toBe('SubtensorModule.RevealTooEarly');
    h.advanceTo(nextEpochBlock());
    expect(epoch()).toBe(committedAt + 1n);
    expect(h.errorOf(ownerHot, 'subtensorModule', 'revealWeights', args({ ...reveal, salt: [1] }))).toBe('SubtensorModule.InvalidRevealCommitHashNotMatch');
    const revealed = h.ok(ownerHot, 'subtensorModule', 'revealWeights', args());
    expect(revealed.map((e) => e.name)).toEqual(['subtensorModule.WeightsSet', 'subtensorModule.WeightsRevealed']);
    expect((h.read(S.Weights, [1, 0]) as unknown as unknown[]).length).toBe(1);
    // The reveal does not move LastUpdate; the commit did.
    expect(readBigints(h.storage, S.LastUpdate, 1)[0]).toBe(BigInt(commitBlock));
    expect(h.storage.tryGet(S.WeightCommits, [1, ownerHot])).toBeUndefined();
  });

  it('expires a commit not revealed in its reveal epoch', () => {
    h.ok(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, reveal.uids, reveal.values, reveal.salt, 0n)]);
    h.advanceTo(nextEpochBlock());
    h.advanceTo(nextEpochBlock());
    expect(h.errorOf(ownerHot, 'subtensorModule', 'revealWeights', args())).toBe('SubtensorModule.ExpiredWeightCommit');
  });

  it('counts the reveal window in epochs: RevealPeriodEpochs 2 reveals two epochs later', () => {
    h.ok(owner, 'adminUtils', 'sudoSetCommitRevealWeightsInterval', [1, 2]);
    h.ok(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, reveal.uids, reveal.values, reveal.salt, 0n)]);
    h.advanceTo(nextEpochBlock());
    expect(h.errorOf(ownerHot, 'subtensorModule', 'revealWeights', args())).toBe('SubtensorModule.RevealTooEarly');
    h.advanceTo(nextEpochBlock());
    expect(h.errorOf(ownerHot, 'subtensorModule', 'revealWeights', args())).toBeUndefined();
  });

  it('rate limits commits by WeightsSetRateLimit and keeps at most 10 unrevealed', () => {
    h.ok('root', 'adminUtils', 'sudoSetWeightsSetRateLimit', [1, 5]);
    // Registration set LastUpdate: the first commit waits out the limit too.
    expect(h.errorOf(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, [0], [1], [1], 0n)])).toBe('SubtensorModule.CommittingWeightsTooFast');
    h.advanceTo(h.block + 5);
    h.ok(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, [0], [1], [1], 0n)]);
    h.nextBlock();
    expect(h.errorOf(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, [0], [1], [2], 0n)])).toBe('SubtensorModule.CommittingWeightsTooFast');
    h.ok('root', 'adminUtils', 'sudoSetWeightsSetRateLimit', [1, 0]);
    for (let i = 2; i <= 10; i++) h.ok(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, [0], [1], [i], 0n)]);
    expect(h.errorOf(ownerHot, 'subtensorModule', 'commitWeights', [1, commitHash(ownerHot, 1, [0], [1], [11], 0n)])).toBe('SubtensorModule.TooManyUnrevealedCommits');
  });
});
