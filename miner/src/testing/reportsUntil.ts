import type { WindowReport } from '../mineWindow.js';

/**
 * Collects a miner's window reports (pass `onWindow` to startMiner) and resolves `reached` when `until`
 * holds or after `timeoutMs`, whichever comes first; the test's assertions then say what happened.
 * `until` sees every report as it arrives (the newest last), so a test can also act on one (stop a
 * server, restart the chain) before deciding whether it is done.
 */
export function reportsUntil(until: (reports: WindowReport[]) => boolean, timeoutMs: number) {
  const reports: WindowReport[] = [];
  let resolve!: () => void;
  const reached = new Promise<void>((r) => (resolve = r));
  const timer = setTimeout(resolve, timeoutMs);
  return {
    reports,
    reached,
    onWindow: (r: WindowReport) => {
      reports.push(r);
      if (until(reports)) {
        clearTimeout(timer);
        resolve();
      }
    },
  };
}
