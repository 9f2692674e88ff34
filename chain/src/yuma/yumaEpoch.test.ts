import { describe, expect, it } from 'vitest';
import type { SparseMatrix } from './sparse.js';
import { defaultYumaParams, yumaEpoch, type YumaInputs } from './yumaEpoch.js';

const FULL = 65535;

/** Classic Yuma (Yuma3On off) without a bonds penalty: the scenarios below were written for it. */
const classic = { ...defaultYumaParams, yuma3: false, bondsPenalty: 0 };

/**
 * Three validators (uids 0–2, stake 60/30/10) and three miners (uids 3–5, no stake). The honest majority
 * (uids 0 and 1) splits its weight evenly between miners 3 and 4; uid 2 colludes with miner 5 and puts all
 * its weight there. All registered at block 1, all weights set at block 100, epoch at block 200.
 */
function colludingSubnet(overrides: Partial<YumaInputs> = {}): YumaInputs {
  const weights: SparseMatrix = [
    [
      [3, FULL],
      [4, FULL],
    ],
    [
      [3, FULL],
      [4, FULL],
    ],
    [[5, FULL]],
    [],
    [],
    [],
  ];
  return {
    block: 200,
    stake: [60, 30, 10, 0, 0, 0],
    lastUpdate: [100, 100, 100, 100, 100, 100],
    blockAtRegistration: [1, 1, 1, 1, 1, 1],
    validatorPermit: [true, true, true, false, false, false],
    weights,
    bonds: [],
    emission: 1000,
    params: { ...classic, maxAllowedValidators: 3 },
    ...overrides,
  };
}

function expectClose(actual: readonly number[], expected: readonly number[], digits = 9): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a, `index ${i}`).toBeCloseTo(expected[i] ?? NaN, digits));
}

describe('yumaEpoch: a colluding minority validator', () => {
  const out = yumaEpoch(colludingSubnet());

  it('puts consensus where the stake majority is and none on the colluder’s miner', () => {
    // Column 3: votes 0 (stake .1) and .5 (stake .9); minority 1−κ ≈ .500008 falls inside .5's stake.
    expectClose(out.consensus, [0, 0, 0, 0.5, 0.5, 0]);
  });

  it('clips the out-of-consensus weight to zero, so the colluder keeps no validator trust', () => {
    expect(out.clippedWeights[2]).toEqual([]);
    expectClose(out.validatorTrust, [1, 1, 0, 0, 0, 0]);
    expectClose(out.prerank, [0, 0, 0, 0.45, 0.45, 0.1]);
    expectClose(out.trust, [0, 0, 0, 1, 1, 0]);
  });

  it('gives incentive only to the miners the majority chose, and dividends by bonded stake', () => {
    expectClose(out.incentive, [0, 0, 0, 0.5, 0.5, 0]);
    // ΔB col 3 = (.6·.5, .3·.5)/.45 = (2/3, 1/3); with no old bonds the EMA renormalises to ΔB.
    expectClose(out.dividends, [2 / 3, 1 / 3, 0, 0, 0, 0]);
  });

  it('splits the emission half to miners, half to validators, flooring to rao', () => {
    expect(out.serverEmission).toEqual([0, 0, 0, 250, 250, 0]);
    expect(out.validatorEmission).toEqual([333, 166, 0, 0, 0, 0]);
    expect(out.storage.emission).toEqual([333, 166, 0, 250, 250, 0]);
  });

  it('stores fractions as floor(x·65535) and bonds column-max-upscaled', () => {
    expect(out.storage.incentive).toEqual([0, 0, 0, 32767, 32767, 0]);
    expect(out.storage.dividends).toEqual([43690, 21845, 0, 0, 0, 0]);
    expect(out.storage.consensus).toEqual([0, 0, 0, 32767, 32767, 0]);
    expect(out.storage.trust).toEqual([0, 0, 0, FULL, FULL, 0]);
    expect(out.storage.validatorTrust).toEqual([FULL, FULL, 0, 0, 0, 0]);
    expect(out.storage.rank).toEqual([0, 0, 0, 32767, 32767, 0]);
    expect(out.storage.stakeWeight).toEqual([39321, 19660, 6553, 0, 0, 0]);
    expect(out.storage.bonds).toEqual([
      [
        [3, FULL],
        [4, FULL],
      ],
      [
        [3, 32767],
        [4, 32767],
      ],
      [[5, FULL]],
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('with the full bonds penalty, bonds follow clipped weights and the colluder bonds nothing', () => {
    const penalised = yumaEpoch(colludingSubnet({ params: { ...classic, maxAllowedValidators: 3, bondsPenalty: FULL } }));
    expect(penalised.storage.bonds[2]).toEqual([]);
    expectClose(penalised.dividends, [2 / 3, 1 / 3, 0, 0, 0, 0]);
  });
});

describe('yumaEpoch: bonds EMA over two epochs', () => {
  it('moves bonds a tenth of the way towards the new weights (bonds_moving_average 900 000)', () => {
    const first = yumaEpoch(colludingSubnet());
    const storedBonds = first.storage.bonds.map((row) => row ?? []);
    // Validator 1 now backs only miner 4.
    const weights = colludingSubnet().weights.slice();
    weights[1] = [[4, FULL]];
    const second = yumaEpoch(
      colludingSubnet({
        block: 300,
        lastUpdate: [250, 250, 250, 100, 100, 100],
        weights,
        bonds: storedBonds,
        validatorPermit: first.storage.validatorPermit,
      }),
    );
    // Old bonds col 3 ≈ (2/3, 1/3) from u16; ΔB col 3 = (1, 0), col 4 = (.5, .5).
    // B' col 3 = .1·(1, 0) + .9·(2/3, 1/3) = (.7, .3); col 4 = .1·(.5, .5) + .9·(2/3, 1/3) = (.65, .35).
    const b = (i: number, j: number) => second.bonds[i]?.find(([c]) => c === j)?.[1] ?? 0;
    expect(b(0, 3)).toBeCloseTo(0.7, 4);
    expect(b(1, 3)).toBeCloseTo(0.3, 4);
    expect(b(0, 4)).toBeCloseTo(0.65, 4);
    expect(b(1, 4)).toBeCloseTo(0.35, 4);
    // R3 = .6·.5 = .3, R4 = .6·.5 + .3·.5 = .45 → I = (.4, .6); D0 = .7·.4 + .65·.6 = .67.
    expectClose(second.incentive, [0, 0, 0, 0.4, 0.6, 0]);
    expectClose(second.dividends, [0.67, 0.33, 0, 0, 0, 0], 4);
    expectClose(second.trust, [0, 0, 0, 1, 0.75, 0]);
    expectClose(second.validatorTrust, [1, 0.5, 0, 0, 0, 0]);
  });
});

describe('yumaEpoch: permits, activity and stale weights', () => {
  it('grants permits to the top MaxAllowedValidators by stake, used from the next epoch on', () => {
    const out = yumaEpoch(colludingSubnet({ params: { ...classic, maxAllowedValidators: 2 } }));
    expect(out.storage.validatorPermit).toEqual([true, true, false, false, false, false]);
    // This epoch still used the old permits, so uid 2 voted and keeps its (emptied) bond row.
    expect(out.activeStake[2]).toBeCloseTo(0.1, 12);
    expect(out.storage.bonds[2]).toEqual([]);
  });

  it('masks the stake and weights of a validator whose last update is older than the activity cutoff', () => {
    const out = yumaEpoch(colludingSubnet({ lastUpdate: [100, 100, 10, 100, 100, 100], params: { ...classic, maxAllowedValidators: 3, activityCutoff: 150 } }));
    expect(out.storage.active).toEqual([true, true, false, true, true, true]);
    expectClose(out.activeStake, [2 / 3, 1 / 3, 0, 0, 0, 0]);
  });

  it('ignores weights set before the target uid was (re)registered', () => {
    const out = yumaEpoch(colludingSubnet({ blockAtRegistration: [1, 1, 1, 1, 150, 1] }));
    // Column 4 was registered after every validator's last update: its weight is dropped, rows renormalise.
    expectClose(out.incentive, [0, 0, 0, 1, 0, 0]);
  });

  it('pays everything to validators by active stake when no valid weight exists', () => {
    const out = yumaEpoch(colludingSubnet({ weights: [] }));
    expect(out.serverEmission).toEqual([0, 0, 0, 0, 0, 0]);
    expect(out.validatorEmission).toEqual([600, 300, 100, 0, 0, 0]);
    expect(out.storage.emission).toEqual([600, 300, 100, 0, 0, 0]);
  });
});

describe('yumaEpoch: conservation', () => {
  it('never pays more than the epoch emission and loses less than one rao per uid to flooring', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 20; trial++) {
      const n = 3 + Math.floor(rand() * 20);
      const weights: SparseMatrix = Array.from({ length: n }, () =>
        Array.from({ length: n }, (_, j) => [j, Math.floor(rand() * FULL)] as [number, number]).filter(() => rand() < 0.5),
      );
      const E = 1 + Math.floor(rand() * 1e12);
      const out = yumaEpoch({
        block: 1000,
        stake: Array.from({ length: n }, () => Math.floor(rand() * 1e12)),
        lastUpdate: Array.from({ length: n }, () => 500 + Math.floor(rand() * 500)),
        blockAtRegistration: Array.from({ length: n }, () => Math.floor(rand() * 600)),
        validatorPermit: Array.from({ length: n }, () => rand() < 0.7),
        weights,
        bonds: [],
        emission: E,
        params: { ...classic, maxAllowedValidators: Math.max(1, Math.floor(n / 2)) },
      });
      const paid = [...out.serverEmission, ...out.validatorEmission].reduce((a, b) => a + b, 0);
      expect(paid).toBeLessThanOrEqual(E);
      expect(E - paid).toBeLessThan(2 * n);
      const stored = out.storage.emission.reduce((a, b) => a + b, 0);
      expect(stored).toBeLessThanOrEqual(E);
      expect(E - stored).toBeLessThan(n);
    }
  });
});

describe('yumaEpoch: the first epoch of subtensor’s own `test_bonds` scenario', () => {
  it('gives stake-proportional dividends, equal incentive and bonds 16383/32767/49151/65535', () => {
    // Validators 0–3 with stake 1:2:3:4 each weight servers 4–7 equally; 1 TAO to distribute.
    const row: Array<[number, number]> = [4, 5, 6, 7].map((j) => [j, FULL]);
    const out = yumaEpoch({
      block: 1,
      stake: [1, 2, 3, 4, 0, 0, 0, 0],
      lastUpdate: [1, 1, 1, 1, 0, 0, 0, 0],
      blockAtRegistration: [0, 0, 0, 0, 0, 0, 0, 0],
      validatorPermit: Array.from({ length: 8 }, () => true),
      weights: [row, row, row, row, [], [], [], []],
      bonds: [],
      emission: 1_000_000_000,
      params: { ...classic, maxAllowedValidators: 8 },
    });
    expectClose(out.incentive, [0, 0, 0, 0, 0.25, 0.25, 0.25, 0.25]);
    expectClose(out.dividends, [0.1, 0.2, 0.3, 0.4, 0, 0, 0, 0]);
    // Subtensor's fixed point gives [49999998, 99999999, 150000000, 200000001, 125000000 ×4]; float64 is exact.
    const subtensor = [49_999_998, 99_999_999, 150_000_000, 200_000_001, 125_000_000, 125_000_000, 125_000_000, 125_000_000];
    out.storage.emission.forEach((e, i) => expect(Math.abs(e - (subtensor[i] ?? 0))).toBeLessThanOrEqual(2));
    for (let i = 0; i < 4; i++) expect(out.storage.bonds[i]).toEqual([4, 5, 6, 7].map((j) => [j, [16383, 32767, 49151, 65535][i]]));
  });
});

describe('yumaEpoch: Yuma 3, subtensor’s `test_yuma_3_liquid_alpha_disabled` (spec 424)', () => {
  // Validators 0–2 (stake 33/33/34), servers 3 and 4; bonds moving average 975,000 (a = 0.025), no bonds
  // penalty, κ 32767, 3 validators. Every validator weights server 3, except in epoch 2 where
  // validator 2 weights server 4. Targets (bonds of validators to servers 3/4, dividends) are the test's.
  const targetBonds = [
    [[0.025, 0], [0.025, 0], [0.025, 0]],
    [[0.0494, 0], [0.0494, 0], [0.0494, 0]],
    [[0.0731, 0], [0.0731, 0], [0.0481, 0.025]],
    [[0.0963, 0], [0.0963, 0], [0.0719, 0.0244]],
    [[0.1189, 0], [0.1189, 0], [0.0951, 0.0238]],
    [[0.1409, 0], [0.1409, 0], [0.1178, 0.0232]],
  ];
  const targetDividends = [
    [0.33, 0.33, 0.34, 0, 0],
    [0.33, 0.33, 0.34, 0, 0],
    [0.3734, 0.3734, 0.2532, 0, 0],
    [0.3611, 0.3611, 0.2779, 0, 0],
    [0.3541, 0.3541, 0.2919, 0, 0],
    [0.3495, 0.3495, 0.3009, 0, 0],
  ];
  const params = { ...defaultYumaParams, maxAllowedValidators: 3, bondsPenalty: 0, bondsMovingAverage: 975_000, kappa: 32767, yuma3: true };
  const base = (block: number, weights: SparseMatrix, bonds: SparseMatrix, validatorPermit: boolean[]): YumaInputs => ({
    block,
    stake: [33, 33, 34, 0, 0],
    lastUpdate: [block - 1, block - 1, block - 1, 0, 0],
    blockAtRegistration: [1, 1, 1, 1, 1],
    validatorPermit,
    weights,
    bonds,
    emission: 1_000_000_000,
    params,
    lastTempo: block,
  });

  it('matches the bonds and dividends of six epochs to 1e-3', () => {
    // The setup epoch (no weights) hands out the permits.
    let permits = yumaEpoch(base(10, [[], [], [], [], []], [], [false, false, false, false, false])).storage.validatorPermit;
    let bonds: SparseMatrix = [];
    for (let epoch = 0; epoch < 6; epoch++) {
      const block = 20 + epoch * 10;
      const toServer = (j: number): Array<[number, number]> => [[j, FULL]];
      const weights: SparseMatrix = [toServer(3), toServer(3), toServer(epoch === 2 ? 4 : 3), [], []];
      const out = yumaEpoch(base(block, weights, bonds, permits));
      permits = out.storage.validatorPermit;
      bonds = out.storage.bonds.map((row, i) => row ?? bonds[i] ?? []);
      for (let v = 0; v < 3; v++) {
        const stored = new Map(bonds[v] ?? []);
        [3, 4].forEach((j, k) => expect((stored.get(j) ?? 0) / FULL, `epoch ${epoch} bond ${v}→${j}`).toBeCloseTo(targetBonds[epoch]?.[v]?.[k] ?? NaN, 3));
      }
      out.storage.dividends.forEach((d, i) => expect(Math.abs(d / FULL - (targetDividends[epoch]?.[i] ?? NaN)), `epoch ${epoch} dividend ${i}`).toBeLessThan(1e-3));
    }
  });
});
