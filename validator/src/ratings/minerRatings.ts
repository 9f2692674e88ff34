import { ordinal, rate, rating } from 'openskill';
import { z } from 'zod';
import { missMultiplier, warmedUp, type RunConfig, type Verdict } from '@crucible/protocol';

/**
 * What a validator remembers about each miner across windows: its OpenSkill rating (Plackett–Luce, as
 * the `openskill` package computes it) and a moving average of the assigned-data indicator. Persisted
 * as JSON so a restarted validator continues exactly where it stopped.
 */
export const minerRecordSchema = z.object({
  hotkey: z.string(),
  mu: z.number(),
  sigma: z.number(),
  /** Moving average of +1/−1 "improved its own pages more than random ones". */
  assignedDataAverage: z.number(),
  windowsEvaluated: z.number().int().min(0),
  lastWindow: z.number().int(),
  lastScore: z.number(),
  lastStatus: z.string(),
  /** Windows in a row missing or rejected (0 after a scored one): the graduated penalty's count. */
  consecutiveMisses: z.number().int().min(0).default(0),
});

export type MinerRecord = z.output<typeof minerRecordSchema>;

export const ratingsFileSchema = z.object({ version: z.literal(1), lastWindow: z.number().int(), miners: z.array(minerRecordSchema) });
export type RatingsFile = z.output<typeof ratingsFileSchema>;

export interface RatingOptions {
  /** OpenSkill β and τ (Templar's: 7 and 0.1); μ and σ start at the library's defaults (25, 25/3). */
  beta: number;
  tau: number;
  /** Weight of the newest indicator in the moving average. */
  indicatorAlpha: number;
  /** Score given to rejected miners in the ranking, below any real score. */
  penaltyScore: number;
}

/**
 * α 0.1 (was 0.2; Templar's is 0.05): when every honest miner's average dips to 0 or below at once (a few
 * windows of −1 in a row, seen in CI runs), a validator pays whoever is still above 0 alone, and a
 * half-honest miner (`peek` in test/adversarial) took 12–14% of a run that way. A slower average dips
 * less often. Replaying seven kept runs' verdicts through this code and weightsFromScores (no Yuma):
 * in the three where peek's share was large (7.8–21%) it fell by 37–60%, in the others it moved by
 * about a point at most; the price is a slower start for new miners.
 */
export const defaultRatingOptions: RatingOptions = { beta: 7, tau: 0.1, indicatorAlpha: 0.1, penaltyScore: -99 };

function fresh(hotkey: string): MinerRecord {
  const r = rating();
  return { hotkey, mu: r.mu, sigma: r.sigma, assignedDataAverage: 0, windowsEvaluated: 0, lastWindow: -1, lastScore: 0, lastStatus: 'new', consecutiveMisses: 0 };
}

/**
 * One window's update: every miner with a verdict is one player in a single Plackett–Luce match ranked
 * by score (rejections share the last place). Returns new records; the input is not changed.
 */
export function updateRatings(
  records: ReadonlyMap<string, MinerRecord>,
  window: number,
  verdicts: readonly Verdict[],
  options: RatingOptions = defaultRatingOptions,
): Map<string, MinerRecord> {
  const next = new Map<string, MinerRecord>();
  for (const [k, v] of records) next.set(k, { ...v });
  const players = verdicts.map((v) => ({ verdict: v, record: next.get(v.hotkey) ?? fresh(v.hotkey) }));
  const scores = players.map((p) => (p.verdict.status === 'scored' ? p.verdict.score : options.penaltyScore));
  if (players.length >= 2) {
    const rated = rate(
      players.map((p) => [{ mu: p.record.mu, sigma: p.record.sigma }]),
      { score: scores, beta: options.beta, tau: options.tau },
    );
    rated.forEach((team, i) => {
      players[i]!.record.mu = team[0]!.mu;
      players[i]!.record.sigma = team[0]!.sigma;
    });
  }
  players.forEach((p, i) => {
    const v = p.verdict;
    const indicator = v.status === 'scored' ? v.assignedDataIndicator : -1;
    p.record.assignedDataAverage = (1 - options.indicatorAlpha) * p.record.assignedDataAverage + options.indicatorAlpha * indicator;
    p.record.windowsEvaluated += 1;
    p.record.lastWindow = window;
    p.record.lastScore = scores[i]!;
    p.record.lastStatus = v.status === 'scored' ? 'scored' : v.reason;
    p.record.consecutiveMisses = v.status === 'scored' ? 0 : p.record.consecutiveMisses + 1;
    next.set(p.record.hotkey, p.record);
  });
  return next;
}

/**
 * The quantity weights are made from: ordinal (μ − 3σ) × the assigned-data average (floored at 0) ×
 * the graduated penalty for consecutive misses, and 0 during a new hotkey's warm-up (protocol
 * penalties.ts; the run configuration's `scoring`).
 */
export function finalScore(record: MinerRecord, scoring: RunConfig['scoring']): number {
  if (!warmedUp(record.windowsEvaluated, scoring.warmupWindows)) return 0;
  const o = ordinal({ mu: record.mu, sigma: record.sigma });
  return Math.max(0, o) * Math.max(0, record.assignedDataAverage) * missMultiplier(record.consecutiveMisses, scoring.missPenalties);
}
