import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorText } from './errorText.js';

/** One validator's view: per-window scores and OpenSkill ratings of each miner, and rejections by reason. */
export interface ValidatorReport {
  /** Folder name (`validator-0`). */
  name: string;
  windows: Array<{
    window: number;
    miners: Array<{ hotkey: string; score: number | null; mu: number | null; sigma: number | null; verdict: string }>;
    rejected: Record<string, number>;
  }>;
}

export type ValidatorReports = ValidatorReport[];

type Rating = { mu: number; sigma: number };

/**
 * Reads what each validator persists in its --state-dir: `scores.jsonl` (one line per rated window with
 * its verdicts) and `ratings.json` (the current OpenSkill μ/σ and the last window rated). The ratings
 * file holds only the newest ratings, so the reader remembers each window's ratings as it sees them;
 * windows rated before the dashboard started show scores without ratings. Anything unrecognised is
 * skipped, so a newer validator shows less rather than breaking the page.
 */
export function createValidatorReportReader(stateDirs: readonly string[], options: { windows?: number } = {}) {
  const ratingsSeen = new Map<string, Map<number, Map<string, Rating>>>();
  const keep = options.windows ?? 30;

  async function readOne(dir: string): Promise<ValidatorReport> {
    const name = basename(dir);
    const seen = ratingsSeen.get(dir) ?? new Map<number, Map<string, Rating>>();
    ratingsSeen.set(dir, seen);
    const ratings = await readRatings(join(dir, 'ratings.json'));
    if (ratings && !seen.has(ratings.lastWindow)) seen.set(ratings.lastWindow, ratings.byHotkey);
    const lines = await readScores(join(dir, 'scores.jsonl'));
    const windows = lines.slice(-keep).map(({ window, verdicts }) => {
      const rated = seen.get(window);
      const rejected: Record<string, number> = {};
      const miners = verdicts.map((v) => {
        if (v.reason) rejected[v.reason] = (rejected[v.reason] ?? 0) + 1;
        const r = rated?.get(v.hotkey);
        return { hotkey: v.hotkey, score: v.score, mu: r?.mu ?? null, sigma: r?.sigma ?? null, verdict: v.reason ?? v.status };
      });
      return { window, miners, rejected };
    });
    return { name, windows };
  }

  return async function read(errors: string[]): Promise<ValidatorReports> {
    const reports: ValidatorReports = [];
    for (const dir of stateDirs) {
      if (!existsSync(dir)) continue;
      try {
        reports.push(await readOne(dir));
      } catch (error) {
        errors.push(`validator state in ${dir}: ${errorText(error)}`);
      }
    }
    return reports;
  };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

async function readRatings(file: string): Promise<{ lastWindow: number; byHotkey: Map<string, Rating> } | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  const raw = JSON.parse(text) as { lastWindow?: unknown; miners?: unknown };
  const lastWindow = num(raw.lastWindow);
  if (lastWindow === null || !Array.isArray(raw.miners)) return undefined;
  const byHotkey = new Map<string, Rating>();
  for (const m of raw.miners as Array<Record<string, unknown>>) {
    const mu = num(m?.mu);
    const sigma = num(m?.sigma);
    if (typeof m?.hotkey === 'string' && mu !== null && sigma !== null) byHotkey.set(m.hotkey, { mu, sigma });
  }
  return { lastWindow, byHotkey };
}

export interface ScoreLine {
  window: number;
  verdicts: Array<{ hotkey: string; status: string; score: number | null; reason: string | null }>;
}

/** Parses `scores.jsonl`; a torn last line (the validator was killed mid-write) is skipped. */
export function parseScoreLines(text: string): ScoreLine[] {
  const out: ScoreLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let raw: { window?: unknown; verdicts?: unknown };
    try {
      raw = JSON.parse(line) as typeof raw;
    } catch {
      continue;
    }
    const window = num(raw.window);
    if (window === null || !Array.isArray(raw.verdicts)) continue;
    const verdicts: ScoreLine['verdicts'] = [];
    for (const v of raw.verdicts as Array<Record<string, unknown>>) {
      if (typeof v?.hotkey !== 'string') continue;
      verdicts.push({ hotkey: v.hotkey, status: typeof v.status === 'string' ? v.status : 'unknown', score: num(v.score), reason: typeof v.reason === 'string' ? v.reason : null });
    }
    out.push({ window, verdicts });
  }
  return out;
}

async function readScores(file: string): Promise<ScoreLine[]> {
  const text = await readText(file);
  return text === undefined ? [] : parseScoreLines(text);
}
