import { isCrucibleError } from '@crucible/core';

/**
 * Following checkpoints tells two kinds of failure apart, and only one of them is ever remembered:
 *   a proof of forgery — a signature that does not verify, a manifest that contradicts itself or its
 *     key, a signer the chain did not elect, parameters that do not hash to what the manifest says, an
 *     object larger than its kind may be: refused, logged with its reason, never fetched again;
 *   anything else — a timeout, a refused connection, a 5xx, a chain read that failed: retried with
 *     backoff, and when it still fails, reported and tried again at the next sync. It never turns into
 *     a refusal, so a flaky bucket or RPC node delays following but cannot stop it.
 */
export function isForgery(error: unknown): boolean {
  return isCrucibleError(error, 'CHECKPOINT_INVALID') || isCrucibleError(error, 'WIRE_FORMAT') || isCrucibleError(error, 'SIGNATURE_INVALID') || isCrucibleError(error, 'STORAGE_TOO_LARGE');
}

export interface RetryPolicy {
  /** Tries per operation within one sync (default 4). */
  attempts?: number;
  /** First backoff; doubles each try, with full jitter, up to maxDelayMs (defaults 200 ms and 2 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `op` until it succeeds, fails with a forgery or a missing object (thrown at once: neither changes
 * on a retry), or the tries run out (the last error thrown).
 */
export async function retryTransient<T>(op: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 4);
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 2000;
  for (let n = 1; ; n++) {
    try {
      return await op();
    } catch (error) {
      if (isForgery(error) || isCrucibleError(error, 'STORAGE_NOT_FOUND') || n >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(max, base * 2 ** (n - 1))));
    }
  }
}
