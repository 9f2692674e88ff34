/**
 * `npm run adversarial [-- --windows N]`: the adversarial scenario once (default 40 rated windows), with
 * one progress line per window and, last, one JSON line:
 *   {"bench":"adversarial","windows":N,"honest_share":x,"max_cheater_share":y,"cheater_shares":{…},
 *    "honest_false_rejections":k,"honest_pay_spread":s}
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cryptoReady } from '@crucible/core';
import { runAdversarialScenario } from './scenario.js';

const { values } = parseArgs({ options: { windows: { type: 'string', default: '40' }, keep: { type: 'boolean', default: false } } });
const windows = Number(values.windows);
if (!Number.isInteger(windows) || windows < 1) {
  process.stderr.write(`--windows must be a positive integer, got ${values.windows}\n`);
  process.exit(2);
}
await cryptoReady();
const dir = mkdtempSync(join(tmpdir(), 'crucible-adversarial-'));
process.stdout.write(`adversarial scenario: ${windows} windows, subnet in ${dir}\n`);
try {
  const r = await runAdversarialScenario({ dir, windows });
  process.stdout.write(`verdicts by kind of miner: ${JSON.stringify(r.verdicts)}\n`);
  process.stdout.write(`validators' rank correlation on the honest miners (mean Spearman ρ per window): ${r.validator_rank_correlation}\n`);
  const { verdicts: _verdicts, validator_rank_correlation: _rho, ...line } = r;
  process.stdout.write(`${JSON.stringify({ bench: 'adversarial', ...line })}\n`);
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
