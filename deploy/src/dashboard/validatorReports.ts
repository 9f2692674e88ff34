import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorText } from './errorText.js';

/** One validator's view: per-window scores and OpenSkill ratings of each miner, and rejections by reason. */
export interface ValidatorReport {
  /** Folder name (`validator-0`). */
  name: string;
  windows: Array<{
    window: number;
    miners: Array<{ hotkey: string; score: number | null; mu: number | null; sigma: number | null; verdict: string | null }>;
    rejected: Record<string, number>;
  }>;
}

export type ValidatorReports = ValidatorReport[];

/**
 * Reads what each validator persisted in its state folder. The validator owns that format; this reader
 * takes the window records it finds and ignores anything it doesn't recognise, so a newer validator
 * never breaks the dashboard (it just shows less).
 */
export async function readValidatorReports(stateDirs: readonly string[], errors: string[]): Promise<ValidatorReports> {
  const reports: ValidatorReports = [];
  for (const dir of stateDirs) {
    if (!existsSync(dir)) continue;
    try {
      reports.push({ name: basename(dir), windows: await readWindows(dir) });
    } catch (error) {
      errors.push(`validator state in ${dir}: ${errorText(error)}`);
    }
  }
  return reports;
}

async function readWindows(dir: string): Promise<ValidatorReport['windows']> {
  const folder = join(dir, 'windows');
  if (!existsSync(folder)) return [];
  const files = (await readdir(folder)).filter((f) => /^\d+\.json$/.test(f));
  const windows: ValidatorReport['windows'] = [];
  for (const file of files) {
    const raw = JSON.parse(await readFile(join(folder, file), 'utf8')) as unknown;
    const parsed = parseWindowRecord(raw, Number(file.slice(0, -5)));
    if (parsed) windows.push(parsed);
  }
  return windows.sort((a, b) => a.window - b.window);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Accepts `{ window, miners: [{ hotkey, score, mu, sigma, verdict }] }` style records. */
export function parseWindowRecord(raw: unknown, fallbackWindow: number): ValidatorReport['windows'][number] | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const list = Array.isArray(record.miners) ? record.miners : Array.isArray(record.results) ? record.results : [];
  const miners: ValidatorReport['windows'][number]['miners'] = [];
  const rejected: Record<string, number> = {};
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const rating = (typeof e.rating === 'object' && e.rating !== null ? e.rating : e) as Record<string, unknown>;
    const verdict = typeof e.verdict === 'string' ? e.verdict : typeof e.status === 'string' ? e.status : null;
    const reason = typeof e.reason === 'string' ? e.reason : null;
    if (typeof e.hotkey !== 'string') continue;
    miners.push({ hotkey: e.hotkey, score: num(e.score), mu: num(rating.mu), sigma: num(rating.sigma), verdict: reason ?? verdict });
    if (reason !== null) rejected[reason] = (rejected[reason] ?? 0) + 1;
  }
  return { window: num(record.window) ?? fallbackWindow, miners, rejected };
}
