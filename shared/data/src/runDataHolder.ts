import { openRunData, runDataKey, type RunData, type RunDataOptions, type RunDataSpec } from './runData.js';

/**
 * One open RunData per process, for the run configuration in force: `get(run)` opens it on first use
 * and again only when the run's text changes (another dataset, hash or corpus), closing the old one.
 * Callers arriving while it opens share the one open.
 */
export class RunDataHolder {
  private current: { key: string; data: Promise<RunData> } | undefined;

  constructor(readonly options: RunDataOptions) {}

  get(spec: RunDataSpec): Promise<RunData> {
    const key = runDataKey(spec);
    if (this.current?.key !== key) {
      const old = this.current;
      const data = (async () => {
        await old?.data.then((d) => d.close()).catch(() => undefined);
        return openRunData(spec, this.options);
      })();
      this.current = { key, data };
      // A failed open is forgotten, so the next get tries again (the reader has already retried).
      data.catch(() => {
        if (this.current?.data === data) this.current = undefined;
      });
    }
    return this.current.data;
  }

  /** Closes the open RunData, if any. Idempotent. */
  async close(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    await old?.data.then((d) => d.close()).catch(() => undefined);
  }
}
