import { describe, expect, it } from 'vitest';
import { acquireSubnetSlot } from '../support/subnetSlot.js';
import { tempSubnetDir } from '../support/tempSubnetDir.js';
import { HOSTILE_BEHAVIOURS, PRIVATE_ENDPOINT, runHostileStorageScenario } from './scenario.js';

/**
 * Hostile storage: two honest miners beside one hotkey per hostile endpoint behaviour of issue 17 (a
 * server that hangs, trickles its body or its headers, answers listings of 400 MB or without end,
 * serves a 2 GB object declared or chunked, redirects to loopback) and one whose endpoint is on a
 * private address, all at once, on a real local subnet held to public-endpoint rules. Every window is
 * still rated on time, the honest miners are scored in every window, each validator stays within its
 * memory bound, nothing connects to a forbidden address, and every hostile miner gets a verdict with
 * a reason.
 */
const VALIDATOR_RSS_BOUND_MB = 1024;

describe('hostile storage endpoints', () => {
  it('cost their own miners a verdict and everyone else nothing', async () => {
    const release = await acquireSubnetSlot();
    const folder = tempSubnetDir('hostile-storage');
    let failed = true;
    try {
      const windows = 4;
      const r = await runHostileStorageScenario({ dir: folder.dir, windows, log: (line) => console.log(line) });
      console.log('hostile-storage result', JSON.stringify(r));
      expect(r.windows_rated).toBe(windows);
      expect(r.honest_unscored_windows).toBe(0);
      expect(r.forbidden_requests).toBe(0);
      expect(r.max_validator_rss_mb).toBeLessThan(VALIDATOR_RSS_BOUND_MB);
      expect(r.hostile_requests).toBeGreaterThan(0);
      expect(Object.keys(r.hostile_verdicts).sort()).toEqual([...HOSTILE_BEHAVIOURS, PRIVATE_ENDPOINT].sort());
      for (const [kind, verdicts] of Object.entries(r.hostile_verdicts)) {
        for (const v of verdicts) {
          expect(v.outcome, kind).not.toBe('scored');
          expect(v.detail.length, `${kind}: ${v.outcome}`).toBeGreaterThan(0);
        }
      }
      // An endpoint on a private address is refused by policy before any connection.
      for (const v of r.hostile_verdicts[PRIVATE_ENDPOINT]!) expect(v.detail).toMatch(/private|loopback|not allowed|refused/i);
      failed = false;
    } finally {
      release();
      folder.cleanup(failed);
    }
  }, 20 * 60_000);
});
