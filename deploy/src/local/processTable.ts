import type { Logger } from '@crucible/core';
import { errorText } from '../dashboard/errorText.js';
import type { ServiceProcess } from '../services/childProcess.js';

export interface SuperviseOptions {
  /** First restart this long after a crash (ms; default 1000), doubling per crash in a row. */
  initialBackoffMs?: number;
  /** Longest wait between restarts (ms; default 30 000). */
  maxBackoffMs?: number;
  /** A process that ran this long before it crashed starts over at the first backoff (ms; default 60 000). */
  stableAfterMs?: number;
  logger?: Logger;
}

/** One process as the table (and its supervisor) sees it; written to the local state file. */
export interface ProcessRecord {
  name: string;
  pid: number;
  logFile: string;
  /** `running`, `restarting` (crashed, waiting out its backoff) or `stopped` (on purpose). */
  status: 'running' | 'restarting' | 'stopped';
  restarts: number;
  /** Why it last exited on its own (`killed by SIGKILL`, `exit code 1`, `restart failed: ...`). */
  lastExit?: string;
  lastRestartAt?: string;
}

interface Entry {
  start: () => Promise<ServiceProcess>;
  process?: ServiceProcess;
  startedAt: number;
  restarts: number;
  crashesInARow: number;
  lastExit?: string;
  lastRestartAt?: string;
  /** Stopped on purpose (kill, close): not restarted until restart() is called. */
  held: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * The processes of a local subnet and how to (re)start each. With supervision on, a process that exits
 * without being asked to is started again with the same command line after a backoff (1 s, 2 s, 4 s, ...
 * up to 30 s; back to 1 s once it has run a minute), and its restarts are counted with the last reason.
 */
export class ProcessTable {
  readonly order: string[] = [];
  private readonly entries = new Map<string, Entry>();
  private closing = false;

  constructor(
    private readonly supervise: SuperviseOptions | undefined,
    private readonly onChange: () => void = () => {},
  ) {}

  process(name: string): ServiceProcess | undefined {
    return this.entries.get(name)?.process;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  async launch(name: string, start: () => Promise<ServiceProcess>): Promise<void> {
    this.entries.set(name, { start, startedAt: Date.now(), restarts: 0, crashesInARow: 0, held: false });
    if (!this.order.includes(name)) this.order.push(name);
    await this.startOne(name);
  }

  /** Stops one process and keeps it stopped (no supervision) until restart(). */
  async stop(name: string, signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const entry = this.entries.get(name)!;
    entry.held = true;
    clearTimeout(entry.timer);
    await entry.process?.stop(signal, graceMs);
    this.onChange();
  }

  /** Starts a process again (stopping it first if it runs), and puts it back under supervision. */
  async restart(name: string): Promise<void> {
    const entry = this.entries.get(name)!;
    if (entry.process && entry.process.exitReason() === undefined) await this.stop(name, 'SIGTERM', 10_000);
    clearTimeout(entry.timer);
    entry.held = false;
    await this.startOne(name);
  }

  /** Stops every process, last started first; nothing is restarted after this. */
  async closeAll(graceMs: number): Promise<void> {
    this.closing = true;
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
    for (const name of [...this.order].reverse()) {
      const entry = this.entries.get(name)!;
      entry.held = true;
      await entry.process?.stop('SIGTERM', graceMs);
    }
  }

  records(): ProcessRecord[] {
    return this.order.map((name) => {
      const e = this.entries.get(name)!;
      const running = e.process !== undefined && e.process.exitReason() === undefined;
      return {
        name,
        pid: e.process?.pid ?? -1,
        logFile: e.process?.logFile ?? '',
        status: running ? 'running' : e.timer !== undefined && !e.held ? 'restarting' : 'stopped',
        restarts: e.restarts,
        ...(e.lastExit !== undefined ? { lastExit: e.lastExit } : {}),
        ...(e.lastRestartAt !== undefined ? { lastRestartAt: e.lastRestartAt } : {}),
      };
    });
  }

  private async startOne(name: string, isRestart = false): Promise<void> {
    const entry = this.entries.get(name)!;
    entry.timer = undefined;
    const p = await entry.start();
    entry.process = p;
    entry.startedAt = Date.now();
    if (isRestart) {
      entry.restarts++;
      entry.lastRestartAt = new Date().toISOString();
    }
    this.onChange();
    if (this.supervise) void p.exited().then((reason) => this.exited(name, p, reason));
  }

  private exited(name: string, p: ServiceProcess, reason: string): void {
    const entry = this.entries.get(name)!;
    // Asked to stop, or already replaced by a newer process of the same name: nothing to do.
    if (this.closing || entry.held || entry.process !== p) return;
    const o = this.supervise!;
    entry.lastExit = reason;
    entry.crashesInARow = Date.now() - entry.startedAt >= (o.stableAfterMs ?? 60_000) ? 1 : entry.crashesInARow + 1;
    this.scheduleRestart(name, entry);
  }

  private scheduleRestart(name: string, entry: Entry): void {
    const o = this.supervise!;
    const delay = Math.min(o.maxBackoffMs ?? 30_000, (o.initialBackoffMs ?? 1000) * 2 ** (entry.crashesInARow - 1));
    o.logger?.warn('process exited; restarting', { process: name, reason: entry.lastExit, inMs: delay, restarts: entry.restarts });
    entry.timer = setTimeout(() => {
      if (this.closing || entry.held) return;
      this.startOne(name, true)
        .then(() => o.logger?.info('process restarted', { process: name, pid: entry.process?.pid, restarts: entry.restarts }))
        .catch((error: unknown) => {
          entry.lastExit = `restart failed: ${errorText(error)}`;
          entry.crashesInARow++;
          if (!this.closing && !entry.held) this.scheduleRestart(name, entry);
        });
    }, delay);
    this.onChange();
  }
}
