import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

/**
 * What `crucible-local up` started, so `down`, `status` and the dashboard can find it later: the
 * supervisor (which restarts crashed processes and rewrites this file as it does) and each process with
 * its current pid, status and restarts.
 */
export const localStateSchema = z.object({
  version: z.literal(1),
  startedAt: z.string(),
  dir: z.string(),
  supervisorPid: z.number().int().optional(),
  processes: z.array(
    z.object({
      name: z.string(),
      pid: z.number().int(),
      logFile: z.string(),
      status: z.enum(['running', 'restarting', 'stopped']).optional(),
      restarts: z.number().int().min(0).default(0),
      lastExit: z.string().optional(),
      lastRestartAt: z.string().optional(),
    }),
  ),
  endpoints: z.record(z.string(), z.string()),
});

export type LocalState = z.output<typeof localStateSchema>;
export type LocalStateInput = z.input<typeof localStateSchema>;

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

/** Written whole and renamed into place, so a reader (status, the dashboard) never sees half a file. */
export function writeLocalState(dir: string, state: LocalStateInput): void {
  mkdirSync(dirname(stateFile(dir)), { recursive: true });
  const tmp = `${stateFile(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, stateFile(dir));
}

export function isAlive(pid: number): boolean {
  // Signal 0 to pid 0 or -1 asks about a whole group or everyone: not one process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
