import { CrucibleError } from '@crucible/core';

export interface ReadBudgetOptions {
  /** Wall-clock time for everything charged to this budget, counted from its creation (ms). */
  readonly timeMs: number;
  /** Response bytes (object bodies, listings) for everything charged to it. */
  readonly bytes: number;
  /** Whose budget it is, in errors (a miner's hotkey, `window 12`). */
  readonly label?: string;
  /** A budget this one also draws from, e.g. one window's total over all miners: both must have room. */
  readonly parent?: ReadBudget;
}

export interface ReadBudgetUsage {
  readonly label: string | undefined;
  readonly requests: number;
  readonly bytes: number;
  readonly bytesLimit: number;
  readonly elapsedMs: number;
  readonly timeMs: number;
}

/**
 * Time and bytes that one owner (one miner's endpoint for one window, a dashboard refresh) may spend
 * across many requests. The caller creates it and hands it to every read; the store cuts a request off
 * when the budget's time runs out (connect, headers and body alike) or when its bytes would, and answers
 * STORAGE_BUDGET. A budget with a parent also draws from the parent, so a window's total bounds every
 * miner's share at once. Budgets are not reusable: make a new one per owner and window.
 */
export class ReadBudget {
  /** Aborts when this budget's (or its parent's) time runs out. */
  readonly signal: AbortSignal;
  readonly label: string | undefined;
  private readonly started = Date.now();
  private readonly timeMs: number;
  private readonly bytesLimit: number;
  private readonly parent: ReadBudget | undefined;
  private readonly ownSignal: AbortSignal;
  private used = 0;
  private requests = 0;

  constructor(options: ReadBudgetOptions) {
    if (!(options.timeMs >= 0) || !(options.bytes >= 0)) throw new CrucibleError('USAGE', 'a read budget needs non-negative time and bytes', { details: { ...options, parent: undefined } });
    this.timeMs = options.timeMs;
    this.bytesLimit = options.bytes;
    this.label = options.label;
    this.parent = options.parent;
    // AbortSignal.timeout takes whole milliseconds; its timer does not keep the process alive.
    this.ownSignal = AbortSignal.timeout(Math.max(1, Math.ceil(options.timeMs)));
    this.signal = options.parent ? AbortSignal.any([this.ownSignal, options.parent.signal]) : this.ownSignal;
  }

  /** Bytes that may still be read (the smaller of this budget's and its parent's). */
  get bytesLeft(): number {
    const own = Math.max(0, this.bytesLimit - this.used);
    return this.parent ? Math.min(own, this.parent.bytesLeft) : own;
  }

  get msLeft(): number {
    const own = Math.max(0, this.timeMs - (Date.now() - this.started));
    return this.parent ? Math.min(own, this.parent.msLeft) : own;
  }

  /** The error a read gets once the budget is spent, or undefined while there is time and room. */
  exhausted(): CrucibleError | undefined {
    if (this.signal.aborted || this.msLeft <= 0) return this.error('time');
    if (this.bytesLeft <= 0) return this.error('bytes');
    return undefined;
  }

  /** Counts one request (for the usage report). */
  startRequest(): void {
    this.requests++;
    this.parent?.startRequest();
  }

  /** Charges bytes as they arrive; the error once they exceed what is left (they are charged anyway). */
  charge(bytes: number): CrucibleError | undefined {
    const over = bytes > this.bytesLeft;
    this.used += bytes;
    this.parent?.charge(bytes);
    return over ? this.error('bytes') : undefined;
  }

  /** STORAGE_BUDGET naming the budget that ran out of `what`: this one, or the parent it draws from. */
  error(what: 'time' | 'bytes'): CrucibleError {
    if (this.parent) {
      const ownLeft = what === 'time' ? this.timeMs - (Date.now() - this.started) : this.bytesLimit - this.used;
      const parentLeft = what === 'time' ? this.parent.msLeft : this.parent.bytesLeft;
      if (parentLeft < ownLeft) return this.parent.error(what);
    }
    const limit = what === 'time' ? `${this.timeMs} ms` : `${this.bytesLimit} bytes`;
    return new CrucibleError('STORAGE_BUDGET', `read budget${this.label ? ` of ${this.label}` : ''} is spent: ${limit}`, {
      details: { budget: what, ...this.usage() },
    });
  }

  usage(): ReadBudgetUsage {
    return { label: this.label, requests: this.requests, bytes: this.used, bytesLimit: this.bytesLimit, elapsedMs: Date.now() - this.started, timeMs: this.timeMs };
  }
}
