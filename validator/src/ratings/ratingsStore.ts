import { mkdir, readFile, rename, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';
import type { Verdict } from '@crucible/protocol';
import { minerRecordSchema, ratingsFileSchema, type MinerRecord } from './minerRatings.js';

/**
 * The validator's memory across restarts, in --state-dir:
 *   ratings.json   the OpenSkill records and the last window rated (written atomically: tmp + rename)
 *   scores.jsonl   one line per rated window: its verdicts (what `replay` is compared against)
 */
export interface RatingsState {
  lastWindow: number;
  records: Map<string, MinerRecord>;
}

export async function loadRatings(stateDir: string): Promise<RatingsState> {
  let text: string;
  try {
    text = await readFile(join(stateDir, 'ratings.json'), 'utf8');
  } catch {
    return { lastWindow: -1, records: new Map() };
  }
  const parsed = ratingsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new CrucibleError('CONFIG_INVALID', `${join(stateDir, 'ratings.json')} is not a ratings file`, { cause: parsed.error });
  return { lastWindow: parsed.data.lastWindow, records: new Map(parsed.data.miners.map((m) => [m.hotkey, minerRecordSchema.parse(m)])) };
}

export async function saveRatings(stateDir: string, state: RatingsState, window: number, verdicts: readonly Verdict[]): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, 'ratings.json');
  const body = JSON.stringify({ version: 1, lastWindow: state.lastWindow, miners: [...state.records.values()] }, null, 1);
  await writeFile(`${file}.tmp`, body);
  await rename(`${file}.tmp`, file);
  await appendFile(join(stateDir, 'scores.jsonl'), JSON.stringify({ window, verdicts }) + '\n');
}

const scoresLineSchema = z.object({ window: z.number().int(), verdicts: z.array(z.any()) });

/** The verdicts this validator recorded for `window`, if it rated it. */
export async function recordedVerdicts(stateDir: string, window: number): Promise<Verdict[] | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, 'scores.jsonl'), 'utf8');
  } catch {
    return undefined;
  }
  let found: Verdict[] | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parsed = scoresLineSchema.safeParse(JSON.parse(line));
    if (parsed.success && parsed.data.window === window) found = parsed.data.verdicts as Verdict[];
  }
  return found;
}
