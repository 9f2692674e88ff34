/**
 * Commitments at spec 424: up to three fields (BigRaw up to 512 bytes), registered hotkeys only, and a
 * per-epoch space budget (MaxSpace 3100 bytes, each call at least 100) reset when the epoch index moves.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RuntimeHarness } from '../../testing/runtimeHarness.js';
import { CommitmentOf, UsedSpaceOf } from './commitmentsStorage.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const owner = account(0xa1);
const ownerHot = account(0x01);
const TAO = 1_000_000_000n;
const hex = (a: Uint8Array) => `0x${Buffer.from(a).toString('hex')}`;
const bigRaw = (n: number) => ({ BigRaw: hex(new Uint8Array(n).fill(7)) });
const info = (...fields: unknown[]) => ({ fields });

let h: RuntimeHarness;
beforeEach(async () => {
  h = await RuntimeHarness.create({ balances: [[hex(owner), 10_000n * TAO]], sudo: hex(owner) });
  h.advanceTo(2);
  h.ok(owner, 'subtensorModule', 'registerNetwork', [ownerHot]);
  h.nextBlock();
});

describe('set_commitment', () => {
  it('stores a BigRaw field (a pointer over 128 bytes) for a registered hotkey, and refuses others', () => {
    const events = h.ok(ownerHot, 'commitments', 'setCommitment', [1, info(bigRaw(300))]);
    expect(events.map((e) => e.name)).toEqual(['commitments.Commitment']);
    const stored = h.storage.tryGet(CommitmentOf, [1, ownerHot]) as unknown as { info: { fields: Array<{ type: string; value: { length: number } }> } };
    expect(stored.info.fields[0]?.type).toBe('BigRaw');
    expect(stored.info.fields[0]?.value.length).toBe(300);
    expect(h.errorOf(account(0x55), 'commitments', 'setCommitment', [1, info(bigRaw(10))])).toBe('Commitments.AccountNotAllowedCommit');
    expect(h.errorOf(ownerHot, 'commitments', 'setCommitment', [1, info({ Raw4: '0x01020304' }, { Raw4: '0x01020304' }, { Raw4: '0x01020304' }, { Raw4: '0x01020304' })])).toBe(
      'Commitments.TooManyFieldsInCommitmentInfo',
    );
  });

  it('counts max(100, bytes) per call against 3100 bytes per epoch and resets at the next epoch', () => {
    for (let i = 0; i < 6; i++) h.ok(ownerHot, 'commitments', 'setCommitment', [1, info(bigRaw(500))]);
    expect((h.storage.tryGet(UsedSpaceOf, [1, ownerHot]) as unknown as { usedSpace: { toString(): string } }).usedSpace.toString()).toBe('3000');
    expect(h.errorOf(ownerHot, 'commitments', 'setCommitment', [1, info(bigRaw(101))])).toBe('Commitments.SpaceLimitExceeded');
    // A small field still counts 100 bytes: exactly what is left.
    expect(h.errorOf(ownerHot, 'commitments', 'setCommitment', [1, info({ Raw1: '0x01' })])).toBeUndefined();
    expect(h.errorOf(ownerHot, 'commitments', 'setCommitment', [1, info({ Raw1: '0x01' })])).toBe('Commitments.SpaceLimitExceeded');
    h.ok('root', 'adminUtils', 'sudoSetTempo', [1, 3]);
    h.advanceTo(h.block + 3);
    expect(h.errorOf(ownerHot, 'commitments', 'setCommitment', [1, info(bigRaw(500))])).toBeUndefined();
  });
});
