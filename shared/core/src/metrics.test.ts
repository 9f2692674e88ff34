import { describe, expect, it } from 'vitest';
import { Counter, createMetricsRegistry, startMetricsServer } from './metrics.js';

describe('Prometheus metrics endpoint', () => {
  it('serves the registry at /metrics and 404 elsewhere, and closes idempotently', async () => {
    const registry = createMetricsRegistry('crucible_test');
    const windows = new Counter({ name: 'crucible_test_windows_total', help: 'windows done', registers: [registry] });
    windows.inc(3);
    const server = await startMetricsServer(registry, 0);
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('crucible_test_windows_total 3');
      expect(text).toContain('crucible_test_process_resident_memory_bytes');
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await server.close();
      await server.close();
    }
  });

  it('fails with a typed error when the port is taken', async () => {
    const registry = createMetricsRegistry('crucible_test2');
    const first = await startMetricsServer(registry, 0);
    await expect(startMetricsServer(registry, first.port)).rejects.toMatchObject({ code: 'SERVICE_START_FAILED' });
    await first.close();
  });
});
