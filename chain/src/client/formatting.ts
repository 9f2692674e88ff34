/** TAO amounts and the metagraph table, for the CLI. */
import type { Metagraph } from './metagraph.js';

/** "1.5" TAO → 1 500 000 000 rao. */
export function parseTao(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

export function formatTao(rao: bigint): string {
  const whole = rao / 1_000_000_000n;
  const fraction = (rao % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** A readable metagraph table, one line per uid; stake is consensus stake (with childkey inheritance). */
export function formatMetagraph(mg: Metagraph): string {
  const hp = mg.hyperparameters;
  const header = `netuid ${mg.netuid} at block ${mg.block}: ${mg.n} neurons, tempo ${hp.tempo}, commit-reveal ${hp.commitRevealWeightsEnabled ? 'on' : 'off'}`;
  const columns = ['uid', 'hotkey', 'coldkey', 'stake(α)', 'vpermit', 'incentive', 'dividends', 'emission(α)', 'last_update'];
  const rows = mg.uids.map((uid) => [
    String(uid),
    mg.hotkeys[uid] ?? '',
    mg.coldkeys[uid] ?? '',
    formatTao(mg.stake[uid] ?? 0n),
    mg.validatorPermit[uid] === true ? '*' : '',
    (mg.incentive[uid] ?? 0).toFixed(5),
    (mg.dividends[uid] ?? 0).toFixed(5),
    formatTao(mg.emission[uid] ?? 0n),
    String(mg.lastUpdate[uid] ?? 0),
  ]);
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [header, line(columns), ...rows.map(line)].join('\n');
}

export const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2);
