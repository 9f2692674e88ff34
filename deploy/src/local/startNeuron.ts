import { CrucibleError } from '@crucible/core';
import { spawnService, type ServiceProcess } from '../services/childProcess.js';
import { waitUntil } from '../services/waitUntil.js';
import { httpOk } from '../services/httpOk.js';

/** How to (re)start one process of the local subnet; kept so the faults suite can kill and restart it. */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** A `/metrics` URL that answers once the process is up; none: started is ready. */
  readyUrl?: string;
}

export async function startProcess(spec: ProcessSpec, options: { detached: boolean; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number }): Promise<ServiceProcess> {
  const child = spawnService(spec.name, spec.command, spec.args, { logFile: spec.logFile, detached: options.detached, ...(options.env ? { env: options.env } : {}) });
  if (spec.readyUrl !== undefined) {
    const url = spec.readyUrl;
    try {
      await waitUntil(`${spec.name} (log ${spec.logFile})`, () => httpOk(url), { timeoutMs: options.readyTimeoutMs ?? 90_000, intervalMs: 250, alive: () => child.exitReason() });
    } catch (error) {
      await child.stop('SIGKILL');
      throw error;
    }
  }
  return child;
}

/** Runs a one-shot command (genesis) to completion; rejects with its log file named when it fails. */
export async function runToCompletion(spec: ProcessSpec, options: { env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<void> {
  const child = spawnService(spec.name, spec.command, spec.args, { logFile: spec.logFile, ...(options.env ? { env: options.env } : {}) });
  await waitUntil(`${spec.name} to finish`, async () => child.exitReason() !== undefined, { timeoutMs: options.timeoutMs, intervalMs: 200 }).catch(async (error: unknown) => {
    await child.stop('SIGKILL');
    throw error;
  });
  const reason = child.exitReason();
  if (reason !== 'exit code 0') throw new CrucibleError('SERVICE_START_FAILED', `${spec.name} failed (${reason}); see ${spec.logFile}`, { details: { logFile: spec.logFile } });
}

/**
 * The environment for child processes: the parent's, minus Crucible's own variables, so a CRUCIBLE_*
 * setting in the operator's shell can't silently change a neuron that crucible-local configured by flags.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CRUCIBLE_')) env[key] = value;
  return { ...env, ...extra };
}
