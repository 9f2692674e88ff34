/**
 * `npm run bench -w @crucible/test` (part of `npm run bench`): the hostile-storage scenario once with
 * every hostile behaviour active at once (default 6 rated windows), one progress line per window and,
 * last, one JSON line:
 *   {"bench":"hostile-storage","windows":N,"windows_rated":n,"max_collect_s":s,"max_validator_rss_mb":m,"forbidden_requests":0}
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cryptoReady } from '@crucible/core';
import { runHostileStorageScenario } from './scenario.js';

const { values } = parseArgs({ options: { windows: { type: 'string', default: '6' }, keep: { type: 'boolean', default: false } } });
const windows = Number(values.windows);
if (!Number.isInteger(windows) || windows < 1) {
  process.stderr.write(`--windows must be a positive integer, got ${values.windows}\n`);
  process.exit(2);
}
await cryptoReady();
const dir = mkdtempSync(join(tmpdir(), 'crucible-hostile-'));
process.stdout.write(`hostile-storage scenario: ${windows} windows, subnet in ${dir}\n`);
try {
  const r = await runHostileStorageScenario({ dir, windows });
  process.stdout.write(`hostile miners' verdicts: ${JSON.stringify(r.hostile_verdicts)}\n`);
  if (r.not_on_time.length > 0) process.stdout.write(`not on time: ${r.not_on_time.join('; ')}\n`);
  process.stdout.write(`slowest rating ${r.max_rate_s} s; honest miners unscored in ${r.honest_unscored_windows} validator-windows; hostile server saw ${r.hostile_requests} requests\n`);
  const line = { bench: 'hostile-storage', windows: r.windows, windows_rated: r.windows_rated, max_collect_s: r.max_collect_s, max_validator_rss_mb: r.max_validator_rss_mb, forbidden_requests: r.forbidden_requests };
  process.stdout.write(`${JSON.stringify(line)}\n`);
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
