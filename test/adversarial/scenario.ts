import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetagraph } from '@crucible/chain';
import { startLocalSubnet, type LocalSubnet, type MinerSpec } from '@crucible/deploy';
import type { Verdict } from '@crucible/protocol';
import { readJsonLines } from '../support/jsonLines.js';

/**
 * The adversarial scenario of issue 16, once: a local subnet (devnet, Redis, S3 server, two validators,
 * three honest miners) beside one process per cheating strategy (test/adversarial/cheater/main.ts;
 * the sybil owner runs two hotkeys), for `windows` rated windows. It measures what each kind of miner
 * was paid (its cumulative emission over the epochs of the run) and how the validators judged the
 * honest miners, and prints one progress line per window.
 */
export const STRATEGIES = ['peek', 'copy-noise', 'blend', 'steal-frame', 'swap', 'scaled', 'opt-out', 'global-step'] as const;
const SYBIL_HOTKEYS = 2;
const HONEST = 3;
const TEMPO = 20;

export interface ScenarioResult {
  windows: number;
  honest_share: number;
  max_cheater_share: number;
  cheater_shares: Record<string, number>;
  honest_false_rejections: number;
  honest_pay_spread: number;
  /** Per-verdict counts for each strategy, over both validators and every rated window. */
  verdicts: Record<string, Record<string, number>>;
  /** Mean Spearman correlation of the two validators' scores of the honest miners, per window both scored all. */
  validator_rank_correlation: number | null;
}

/** Spearman's ρ of two equally long score lists (ranks by value; ties are rare for real losses). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (xs: readonly number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  const d2 = ra.reduce((s, x, i) => s + (x - rb[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

const cheater = fileURLToPath(new URL('./cheater/main.ts', import.meta.url));
const spec = (mode: string, extra: string[] = []): MinerSpec => ({ command: [process.execPath, '--import', 'tsx', cheater, '--cheat', mode, ...extra] });

interface ScoresLine {
  window: number;
  verdicts: Verdict[];
}

function scores(subnet: LocalSubnet, validator: string): ScoresLine[] {
  return readJsonLines<ScoresLine>(join(subnet.dir, 'state', validator, 'scores.jsonl'));
}

export async function runAdversarialScenario(o: { dir: string; windows: number; log?: (line: string) => void; subnet?: (s: LocalSubnet) => void }): Promise<ScenarioResult> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const shareDir = join(o.dir, 'sybil-share');
  const miners: MinerSpec[] = [
    ...Array.from({ length: HONEST }, () => ({})),
    ...STRATEGIES.map((m) => spec(m)),
    ...Array.from({ length: SYBIL_HOTKEYS }, (_, i) => spec('sybil', ['--share-dir', shareDir, '--sybil-role', i === 0 ? 'leader' : 'follower'])),
  ];
  const subnet = await startLocalSubnet({ dir: o.dir, validators: 2, miners, chainPort: 0, redisPort: 0, s3Port: 0, dashboardPort: 0, blockTimeMs: 1000, blocksPerWindow: 10, tempo: TEMPO });
  o.subnet?.(subnet);
  try {
    const client = await subnet.client();
    const honest = subnet.miners.slice(0, HONEST).map((m) => m.hotkeyAddress);
    const kinds = new Map<string, string>(honest.map((h) => [h, 'honest']));
    STRATEGIES.forEach((m, i) => kinds.set(subnet.miners[HONEST + i]!.hotkeyAddress, m));
    for (let i = 0; i < SYBIL_HOTKEYS; i++) kinds.set(subnet.miners[HONEST + STRATEGIES.length + i]!.hotkeyAddress, 'sybil');
    const validators = subnet.validators.map((v) => v.name);

    const earned = new Map<string, number>();
    let lastEmission = '';
    let reported = -1;
    let firstRated: number | undefined;
    for (;;) {
      const mg = await getMetagraph(client, subnet.netuid);
      // A new epoch: its emission vector changed. Add what each miner earned in it.
      const stamp = mg.emission.join(',');
      if (stamp !== lastEmission) {
        lastEmission = stamp;
        mg.hotkeys.forEach((h, uid) => kinds.has(h) && earned.set(h, (earned.get(h) ?? 0) + Number(mg.emission[uid] ?? 0n)));
      }
      const lines = validators.map((v) => scores(subnet, v));
      const rated = Math.min(...lines.map((l) => l.at(-1)?.window ?? -1));
      if (firstRated === undefined && rated >= 0) firstRated = rated;
      if (rated > reported) {
        for (let w = reported + 1; w <= rated; w++) {
          const parts = lines.map((l, i) => {
            const line = l.find((x) => x.window === w);
            if (!line) return `${validators[i]}: —`;
            const scored = line.verdicts.filter((v) => v.status === 'scored' && kinds.get(v.hotkey) === 'honest').length;
            const caught = line.verdicts.filter((v) => v.status === 'rejected' && kinds.has(v.hotkey) && kinds.get(v.hotkey) !== 'honest').length;
            return `${validators[i]}: ${scored}/${HONEST} honest scored, ${caught} cheater uploads rejected`;
          });
          log(`window ${w}: ${parts.join('; ')}`);
        }
        reported = rated;
      }
      if (firstRated !== undefined && rated - firstRated + 1 >= o.windows) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    // One more epoch so the last windows' weights are paid.
    const start = (await getMetagraph(client, subnet.netuid)).block;
    for (;;) {
      const mg = await getMetagraph(client, subnet.netuid);
      const stamp = mg.emission.join(',');
      if (stamp !== lastEmission) {
        lastEmission = stamp;
        mg.hotkeys.forEach((h, uid) => kinds.has(h) && earned.set(h, (earned.get(h) ?? 0) + Number(mg.emission[uid] ?? 0n)));
      }
      if (mg.block > start + TEMPO + 2) break;
      await new Promise((r) => setTimeout(r, 2000));
    }

    const total = [...earned.values()].reduce((a, b) => a + b, 0);
    const share = (kind: string) => (total > 0 ? [...earned].filter(([h]) => kinds.get(h) === kind).reduce((s, [, e]) => s + e, 0) / total : 0);
    const cheaterShares = Object.fromEntries([...STRATEGIES, 'sybil'].map((k) => [k, Number(share(k).toFixed(4))]));
    const honestEarned = honest.map((h) => earned.get(h) ?? 0);
    const verdicts: Record<string, Record<string, number>> = {};
    let falseRejections = 0;
    for (const lines of validators.map((v) => scores(subnet, v))) {
      for (const line of lines.filter((l) => firstRated !== undefined && l.window >= firstRated)) {
        for (const v of line.verdicts) {
          const kind = kinds.get(v.hotkey);
          if (!kind) continue;
          const outcome = v.status === 'scored' ? 'scored' : v.reason;
          (verdicts[kind] ??= {})[outcome] = (verdicts[kind]![outcome] ?? 0) + 1;
          if (kind === 'honest' && v.status === 'rejected' && (v.reason === 'copy' || v.reason === 'late')) falseRejections++;
        }
      }
    }
    // How consistently the two validators rank the (identical) honest miners, window by window.
    const [l0, l1] = validators.map((v) => scores(subnet, v));
    const rhos: number[] = [];
    for (const line of l0 ?? []) {
      const other = l1?.find((x) => x.window === line.window);
      const score = (l: ScoresLine, h: string) => l.verdicts.find((v) => v.hotkey === h && v.status === 'scored') as { score?: number } | undefined;
      if (!other || honest.some((h) => !score(line, h) || !score(other, h))) continue;
      rhos.push(spearman(honest.map((h) => score(line, h)!.score!), honest.map((h) => score(other, h)!.score!)));
    }
    return {
      validator_rank_correlation: rhos.length ? Number((rhos.reduce((a, b) => a + b, 0) / rhos.length).toFixed(3)) : null,
      windows: o.windows,
      honest_share: Number(share('honest').toFixed(4)),
      max_cheater_share: Math.max(...Object.values(cheaterShares)),
      cheater_shares: cheaterShares,
      honest_false_rejections: falseRejections,
      honest_pay_spread: Math.min(...honestEarned) > 0 ? Number((Math.max(...honestEarned) / Math.min(...honestEarned)).toFixed(3)) : Number.POSITIVE_INFINITY,
      verdicts,
    };
  } finally {
    await subnet.close();
  }
}
