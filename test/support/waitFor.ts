import type { DashboardState, LocalSubnet } from '@crucible/deploy';

/** Polls `probe` until it returns a value that is not undefined; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, options: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`, { cause: lastError });
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 1000));
  }
}

/** The dashboard's `/api/state` of a local subnet. */
export async function dashboardState(subnet: LocalSubnet): Promise<DashboardState> {
  const response = await fetch(`${subnet.endpoints.dashboard}/api/state`);
  if (!response.ok) throw new Error(`/api/state answered ${response.status}`);
  return (await response.json()) as DashboardState;
}
