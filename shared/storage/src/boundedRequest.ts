import { CrucibleError } from '@crucible/core';
import type { ReadBudget } from './readBudget.js';
import { withResponseLimit, type ResponseLimit } from './responseLimit.js';
import { mapS3Error } from './s3Error.js';

export interface RequestBounds {
  /** Whole-response deadline of this one request (ms). */
  readonly timeoutMs: number;
  /** Body bytes it may return. */
  readonly maxBytes: number;
  /** The error for a body over maxBytes (default STORAGE_TOO_LARGE naming the op). */
  readonly tooLarge?: (bytes: number, declared: boolean) => CrucibleError;
  /** Charged for its time and bytes; cuts it off when spent. */
  readonly budget?: ReadBudget | undefined;
}

/**
 * Runs one SDK exchange under a whole-response deadline, a byte cap and a budget, and maps whatever goes
 * wrong to one CrucibleError: the limit's own error when it cut the response off (STORAGE_TOO_LARGE,
 * STORAGE_BUDGET, TIMEOUT), otherwise the S3 mapping. `run` gets the signal to hand to the SDK and must
 * finish reading any body before it resolves (the deadline covers it).
 */
export async function boundedRequest<T>(op: string, key: string | undefined, bounds: RequestBounds, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const { budget } = bounds;
  const spent = budget?.exhausted();
  if (spent) throw spent;
  budget?.startRequest();
  const timeoutMs = Math.max(1, Math.floor(bounds.timeoutMs));
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = budget ? AbortSignal.any([timeout, budget.signal]) : timeout;
  const cap = budget ? Math.min(bounds.maxBytes, budget.bytesLeft) : bounds.maxBytes;
  const limit: ResponseLimit = {
    signal,
    maxBytes: cap,
    tooLarge: (bytes, declared) => {
      if (bytes <= bounds.maxBytes && budget) return budget.error('bytes');
      return (
        bounds.tooLarge?.(bytes, declared) ??
        new CrucibleError('STORAGE_TOO_LARGE', `${op} ${key ?? ''}: ${declared ? 'declares' : 'sent'} ${bytes} bytes, over the ${bounds.maxBytes}-byte cap`, {
          details: { op, key, size: bytes, maxBytes: bounds.maxBytes, declared },
        })
      );
    },
    ...(budget ? { charge: (bytes: number) => budget.charge(bytes) } : {}),
    aborted: () =>
      budget?.signal.aborted
        ? budget.error('time')
        : new CrucibleError('TIMEOUT', `${op} ${key ?? ''} took longer than ${timeoutMs} ms`.replace('  ', ' '), { details: { op, key, timeoutMs } }),
  };
  try {
    return await withResponseLimit(limit, () => run(signal));
  } catch (error) {
    if (limit.failure) throw limit.failure;
    if (signal.aborted) {
      const e = limit.aborted();
      throw new CrucibleError(e.code, e.message, { details: e.details, cause: error });
    }
    throw mapS3Error(error, op, key);
  }
}
