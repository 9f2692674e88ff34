/**
 * Subnets at spec 424: register_network's pool and defaults, start_call by the owner only, alpha
 * emission only after start_call, and the per-block split of emission, exact to the rao.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RuntimeHarness } from '../../testing/runtimeHarness.js';
import { ALPHA_PER_BLOCK, splitBlockEmission } from './emission.js';
import * as S from './subtensorStorage.js';

const account = (b: number) => new Uint8Array(32).fill(b);
const alice = account(0xa1);
const ownerHot = account(0x01);
const TAO = 1_000_000_000n;
const big = (h: RuntimeHarness, item: Parameters<RuntimeHarness['read']>[0], keys: unknown[] = []) => BigInt(h.read(item, keys).toString());

function genesis() {
  return { balances: [[`0x${Buffer.from(alice).toString('hex')}`, 10_000n * TAO]] as Array<[string, bigint]>, sudo: '//Alice' };
}

let h: RuntimeHarness;
beforeEach(async () => {
  h = await RuntimeHarness.create(genesis());
  h.advanceTo(5);
});

describe('register_network', () => {
  it('creates a dynamic subnet whose pool holds the whole lock, with the owner hotkey at uid 0 and commit-reveal on', () => {
    const events = h.ok(alice, 'subtensorModule', 'registerNetwork', [ownerHot]);
    expect(events.map((e) => e.name)).toContain('subtensorModule.NetworkAdded');
    expect(events.find((e) => e.name === 'subtensorModule.NetworkAdded')?.data).toEqual([1, 1]);
    expect(big(h, S.SubnetTAO, [1])).toBe(100n * TAO);
    expect(big(h, S.SubnetAlphaIn, [1])).toBe(100n * TAO);
    expect(Number(h.read(S.SubnetMechanism, [1]).toString())).toBe(1);
    expect(Number(h.read(S.Tempo, [1]).toString())).toBe(360);
    // The epoch anchor is staggered by netuid mod tempo.
    expect(big(h, S.LastEpochBlock, [1])).toBe(4n);
    expect(h.read(S.CommitRevealWeightsEnabled, [1]).toJSON()).toBe(true);
    expect(h.read(S.SubnetEmissionEnabled, [1]).toJSON()).toBe(false);
    expect(h.read(S.SubtokenEnabled, [1]).toJSON()).toBe(false);
    expect(Buffer.from(h.read(S.Keys, [1, 0]).toU8a())).toEqual(Buffer.from(ownerHot));
    expect(big(h, S.Burn, [1])).toBe(TAO);
  });
});

describe('start_call', () => {
  beforeEach(() => {
    h.ok(alice, 'subtensorModule', 'registerNetwork', [ownerHot]);
  });

  it('is refused to anyone but the subnet owner, and only works once', () => {
    expect(h.errorOf(account(0x77), 'subtensorModule', 'startCall', [1])).toBe('BadOrigin');
    expect(h.errorOf(alice, 'subtensorModule', 'startCall', [2])).toBe('SubtensorModule.SubnetNotExists');
    const events = h.ok(alice, 'subtensorModule', 'startCall', [1]);
    expect(events.find((e) => e.name === 'subtensorModule.FirstEmissionBlockNumberSet')?.data).toEqual([1, h.block + 1]);
    expect(h.read(S.SubtokenEnabled, [1]).toJSON()).toBe(true);
    expect(h.errorOf(alice, 'subtensorModule', 'startCall', [1])).toBe('SubtensorModule.FirstEmissionBlockNumberAlreadySet');
  });

  it('starts alpha emission: nothing is pending before it, one alpha per block split exactly after it', () => {
    h.nextBlock();
    expect(big(h, S.PendingServerEmission, [1])).toBe(0n);
    h.ok(alice, 'subtensorModule', 'startCall', [1]);
    h.nextBlock();
    h.nextBlock();
    const split = splitBlockEmission(ALPHA_PER_BLOCK, 11796);
    expect(big(h, S.PendingOwnerCut, [1])).toBe(2n * split.ownerCut);
    expect(big(h, S.PendingServerEmission, [1])).toBe(2n * split.server);
    expect(big(h, S.PendingValidatorEmission, [1])).toBe(2n * split.validator);
    expect(big(h, S.SubnetAlphaOutEmission, [1])).toBe(ALPHA_PER_BLOCK);
  });
});

describe('the per-block split (U96F32, as emit_to_subnets)', () => {
  it('floors the owner cut, the miners half and the validators half each on its own', () => {
    // cut = 1e9 · (11796·2^32 / 65535 truncated) / 2^32 = 179,995,422.8…; the remaining 820,004,577.1…
    // halves to 410,002,288.5… each.
    expect(splitBlockEmission(1_000_000_000n, 11796)).toEqual({ ownerCut: 179_995_422n, server: 410_002_288n, validator: 410_002_288n });
    expect(splitBlockEmission(1_000_000_000n, 11796, false)).toEqual({ ownerCut: 0n, server: 500_000_000n, validator: 500_000_000n });
  });
});
