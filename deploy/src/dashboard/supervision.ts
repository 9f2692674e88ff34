import { isAlive, readLocalState } from '../commands/localState.js';
import { errorText } from './errorText.js';

/** One process of a local subnet as the dashboard shows it: alive or not, and how often it was restarted. */
export interface SupervisedProcess {
  name: string;
  pid: number;
  /** What the supervisor last recorded: `running`, `restarting` (waiting out its backoff) or `stopped`. */
  status: string;
  /** Whether the pid answers now. */
  alive: boolean;
  restarts: number;
  lastExit: string | null;
  lastRestartAt: string | null;
}

/**
 * The supervisor's view of a local subnet, from the state file it rewrites on every start, exit and
 * restart (`crucible-local up`), plus a row for the supervisor itself.
 */
export function readSupervision(dir: string, errors: string[]): SupervisedProcess[] {
  try {
    const state = readLocalState(dir);
    if (!state) return [];
    const rows: SupervisedProcess[] = state.processes.map((p) => ({
      name: p.name,
      pid: p.pid,
      status: p.status ?? 'running',
      alive: p.pid > 0 && isAlive(p.pid),
      restarts: p.restarts,
      lastExit: p.lastExit ?? null,
      lastRestartAt: p.lastRestartAt ?? null,
    }));
    if (state.supervisorPid !== undefined) {
      const alive = isAlive(state.supervisorPid);
      rows.unshift({ name: 'supervisor', pid: state.supervisorPid, status: alive ? 'running' : 'stopped', alive, restarts: 0, lastExit: null, lastRestartAt: null });
    }
    return rows;
  } catch (error) {
    errors.push(`process table: ${errorText(error)}`);
    return [];
  }
}
