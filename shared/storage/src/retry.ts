import { CrucibleError } from '@crucible/core';

export interface RetryOptions {
  /** Total time allowed from the first attempt; no new attempt starts after it. */
  readonly deadlineMs: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Whether a failure is worth another attempt; permanent ones are thrown at once. */
  readonly retryable: (error: unknown) => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails permanently, or the deadline leaves no room for another
 * try. Delays double from baseDelayMs up to maxDelayMs with full jitter. The last error is thrown
 * unchanged, with `details.attempts` added when it is a CrucibleError.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5000;
  const deadline = now() + options.deadlineMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = Math.random() * Math.min(max, base * 2 ** (n - 1));
      if (!options.retryable(error) || now() + delay >= deadline) {
        if (error instanceof CrucibleError) (error.details as Record<string, unknown>).attempts = n;
        throw error;
      }
      await sleep(delay);
    }
  }
}
