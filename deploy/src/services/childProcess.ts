import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A service process with its output appended to a log file. `detached` puts it in its own process
 * group so it outlives a short-lived launcher (`crucible-local up`) and can be stopped by pid later.
 */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Why it exited, once it has; undefined while it runs. */
  exitReason(): string | undefined;
  /** Resolves with the exit reason when it exits (for a supervisor). */
  exited(): Promise<string>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function spawnService(name: string, command: string, args: string[], options: { logFile: string; detached?: boolean; env?: NodeJS.ProcessEnv }): ServiceProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: options.detached ?? false, env: options.env ?? process.env });
  } finally {
    closeSync(fd);
  }
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exit = error.message;
      resolve();
    });
  });
  if (options.detached) child.unref();
  return {
    name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    exitReason: () => exit,
    exited: () => exited.then(() => exit ?? 'exited'),
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (exit !== undefined) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Stops a process we only know by pid (from a state file); true if it was running. */
export async function stopPid(pid: number, graceMs = 5000): Promise<boolean> {
  // kill(0) and kill(-1) mean "my process group" and "every process I may signal": never those.
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
  return true;
}
