import { CrucibleError, describeError, isCrucibleError, type Logger } from '@crucible/core';
import { isRetryableStorageError, withRetry } from '@crucible/storage';

export interface RetryingOptions {
  /** Time allowed for the read, retries included (ms). */
  readonly deadlineMs: number;
  /** First retry delay (ms; doubling, full jitter). */
  readonly retryBaseMs: number;
  readonly logger?: Logger;
}

/**
 * Runs `read` until it succeeds or the deadline passes, retrying transient storage failures, missing
 * objects (a shard still being uploaded, a lagging replica) and corrupt bytes; the final error keeps its
 * code, says what was being read and carries the attempts.
 */
export async function retrying<T>(
  o: RetryingOptions,
  what: string,
  details: Record<string, unknown>,
  read: () => Promise<T>,
  onRetry?: () => void,
): Promise<T> {
  let last: unknown;
  try {
    return await withRetry(
      async (n) => {
        if (n > 1) {
          onRetry?.();
          o.logger?.warn('retrying a dataset read', { what, attempt: n, error: describeError(last) });
        }
        try {
          return await read();
        } catch (error) {
          last = error;
          throw error;
        }
      },
      {
        deadlineMs: o.deadlineMs,
        baseDelayMs: o.retryBaseMs,
        retryable: (e) => isRetryableStorageError(e) || isCrucibleError(e, 'DATA_CORRUPT') || isCrucibleError(e, 'STORAGE_NOT_FOUND'),
      },
    );
  } catch (error) {
    if (!(error instanceof CrucibleError)) throw error;
    const missing = error.code === 'STORAGE_NOT_FOUND';
    throw new CrucibleError(error.code, `${what}: ${missing ? 'missing' : error.message}`, { details: { ...details, ...error.details }, cause: error });
  }
}

