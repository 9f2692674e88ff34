import { describe, expect, it } from 'vitest';
import { runDefaults, type Verdict } from '@crucible/protocol';
import { finalScore, updateRatings, type MinerRecord } from './minerRatings.js';
import { weightsFromScores } from './weights.js';

function scored(hotkey: string, score: number, indicator: 1 | -1 = 1): Verdict {
  const losses = { ownBefore: 4, ownAfter: 3, randomBefore: 4, randomAfter: 4 - score * 4 };
  return { status: 'scored', hotkey, uid: 0, losses, ownImprovement: 0.25, randomImprovement: score, assignedDataIndicator: indicator, score };
}

function rejected(hotkey: string): Verdict {
  return { status: 'rejected', hotkey, uid: 0, reason: 'copy', detail: 'same as a' };
}

describe('OpenSkill ratings over windows', () => {
  it('ranks better scores higher and rejected miners lowest, window after window', () => {
    let records = new Map<string, MinerRecord>();
    for (let w = 0; w < 6; w++) records = updateRatings(records, w, [scored('good', 0.05), scored('ok', 0.02), scored('lazy', 0.001, -1), rejected('cheat')]);
    const final = (h: string) => finalScore(records.get(h)!, { ...runDefaults.scoring, missPenalties: [...runDefaults.scoring.missPenalties] });
    expect(final('good')).toBeGreaterThan(final('ok'));
    expect(final('ok')).toBeGreaterThan(0);
    // Trained on the wrong data: the indicator average is negative, so nothing is paid.
    expect(final('lazy')).toBe(0);
    expect(final('cheat')).toBe(0);
    expect(records.get('cheat')!.lastStatus).toBe('copy');
    expect(records.get('good')!.windowsEvaluated).toBe(6);
  });

  it('is a pure function of its inputs (a restart from saved records continues identically)', () => {
    const verdicts = [scored('a', 0.03), scored('b', 0.01)];
    const once = updateRatings(new Map(), 0, verdicts);
    const saved = new Map(JSON.parse(JSON.stringify([...once])) as Array<[string, MinerRecord]>);
    expect([...updateRatings(saved, 1, verdicts)]).toEqual([...updateRatings(once, 1, verdicts)]);
  });

  it('pays nothing during a new hotkey\'s warm-up, and less for every consecutive miss', () => {
    const scoring = { missPenalties: [0.75, 0.5, 0], warmupWindows: 3, burnShare: 0 };
    let records = new Map<string, MinerRecord>();
    const windows: Verdict[][] = [];
    for (let w = 0; w < 5; w++) windows.push([scored('steady', 0.03), scored('flaky', 0.03), scored('x', 0.01)]);
    records = updateRatings(records, 0, windows[0]!);
    expect(finalScore(records.get('steady')!, scoring)).toBe(0);
    for (let w = 1; w < 5; w++) records = updateRatings(records, w, windows[w]!);
    const full = finalScore(records.get('flaky')!, scoring);
    expect(full).toBeGreaterThan(0);
    const misses: number[] = [];
    for (let w = 5; w < 8; w++) {
      records = updateRatings(records, w, [scored('steady', 0.03), rejected('flaky'), scored('x', 0.01)]);
      misses.push(records.get('flaky')!.consecutiveMisses);
    }
    expect(misses).toEqual([1, 2, 3]);
    expect(finalScore(records.get('flaky')!, scoring)).toBe(0);
    records = updateRatings(records, 8, [scored('steady', 0.03), scored('flaky', 0.03), scored('x', 0.01)]);
    expect(records.get('flaky')!.consecutiveMisses).toBe(0);
  });

  it('needs two players for a match; a lone miner keeps its rating', () => {
    const records = updateRatings(new Map(), 0, [scored('solo', 0.1)]);
    expect(records.get('solo')!.mu).toBe(25);
  });
});

describe('weights from final scores', () => {
  it('keeps the top N positive scores, power-normalised, ties to the lower uid', () => {
    const w = weightsFromScores(
      [
        { uid: 3, final: 2 },
        { uid: 1, final: 1 },
        { uid: 2, final: 1 },
        { uid: 4, final: 0 },
        { uid: 5, final: -1 },
      ],
      { topN: 2, power: 2 },
    );
    expect([...w.keys()]).toEqual([3, 1]);
    expect(w.get(3)).toBeCloseTo(0.8);
    expect(w.get(1)).toBeCloseTo(0.2);
  });

  it('sets no weights when nobody has a positive score', () => {
    expect(weightsFromScores([{ uid: 1, final: 0 }]).size).toBe(0);
  });
});
