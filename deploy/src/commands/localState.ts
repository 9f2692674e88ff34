import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

/** What `crucible-local up` started, so `down` and `status` can find it later. */
export const localStateSchema = z.object({
  version: z.literal(1),
  startedAt: z.string(),
  dir: z.string(),
  processes: z.array(z.object({ name: z.string(), pid: z.number().int(), logFile: z.string() })),
  endpoints: z.record(z.string(), z.string()),
});

export type LocalState = z.output<typeof localStateSchema>;

export function stateFile(dir: string): string {
  return join(dir, 'state.json');
}

export function readLocalState(dir: string): LocalState | undefined {
  const file = stateFile(dir);
  if (!existsSync(file)) return undefined;
  const parsed = localStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new CrucibleError('CONFIG_INVALID', `${file} is not a state file this version wrote; remove it`, { details: { file } });
  return parsed.data;
}

export function writeLocalState(dir: string, state: LocalState): void {
  mkdirSync(dirname(stateFile(dir)), { recursive: true });
  writeFileSync(stateFile(dir), JSON.stringify(state, null, 2) + '\n');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
