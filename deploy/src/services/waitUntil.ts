import { CrucibleError } from '@crucible/core';

/** Polls `probe` until it resolves true, or fails with TIMEOUT naming `what` and the last error seen. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, options: { timeoutMs: number; intervalMs?: number; alive?: () => string | undefined }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const died = options.alive?.();
    if (died) throw new CrucibleError('SERVICE_START_FAILED', `${what} exited before it was ready: ${died}`);
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new CrucibleError('TIMEOUT', `${what} did not become ready within ${options.timeoutMs} ms`, { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
