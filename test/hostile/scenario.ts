import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalSubnet, type LocalSubnet, type MinerSpec } from '@crucible/deploy';
import type { Verdict } from '@crucible/protocol';
import { readJsonLines } from '../support/jsonLines.js';
import { startConnectionCanary, startHostileS3, type HostileBehaviour } from '@crucible/storage/testing';

/**
 * The hostile-storage scenario of issue 17, once: a local subnet (devnet, Redis, S3 server, two
 * validators, honest miners) held to its own S3 server and one hostile S3-compatible server on another
 * loopback address (127.0.0.2), beside one registered hotkey per hostile behaviour whose committed
 * bucket pointer aims there, plus one whose pointer aims at a canary on 127.0.0.3 (an endpoint on a
 * private address, and the target of every redirect). Everything at once. It measures, per rated
 * window, how long collection took after the deadline, each validator's resident memory (sampled every
 * second from /proc), the verdicts, and how many connections reached the canary (the policy forbids
 * them all).
 */
export const HOSTILE_BEHAVIOURS = ['hang', 'trickle', 'trickle-headers', 'huge-list', 'endless-pages', 'huge-object', 'huge-stream', 'redirect'] as const satisfies readonly HostileBehaviour[];
/** The pseudo-behaviour of a pointer at an endpoint on a private address (the canary). */
export const PRIVATE_ENDPOINT = 'private-endpoint';
const HONEST = 2;
const BLOCKS_PER_WINDOW = 10;
const BLOCK_MS = 1000;

export interface HostileStorageResult {
  windows: number;
  /** Windows both validators rated on time (a report within one window length of the reveal block). */
  windows_rated: number;
  /** Windows a validator did not rate on time, with why. */
  not_on_time: string[];
  max_collect_s: number;
  max_rate_s: number;
  max_validator_rss_mb: number;
  forbidden_requests: number;
  /** Windows in which a validator did not score every honest miner. */
  honest_unscored_windows: number;
  /** The verdict (status/reason and detail) each hostile hotkey got in the last rated window, per validator. */
  hostile_verdicts: Record<string, Array<{ validator: string; outcome: string; detail: string }>>;
  /** Requests the hostile server saw. */
  hostile_requests: number;
}

interface ScoresLine {
  window: number;
  verdicts: Verdict[];
}

interface WindowLine {
  window: number;
  collectSeconds: number | null;
  rateSeconds: number;
}

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const hostileMiner = fileURLToPath(new URL('./hostileMiner.ts', import.meta.url));

export async function runHostileStorageScenario(o: { dir: string; windows: number; log?: (line: string) => void }): Promise<HostileStorageResult> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const canary = await startConnectionCanary('127.0.0.3');
  // Small enough to be quick to make, large enough that buffering it would show in memory.
  const hostile = await startHostileS3({ host: '127.0.0.2', mode: 'honest', redirectTo: canary.url, trickleMs: 2000, hugeListBytes: 400 * 2 ** 20, hugeObjectBytes: 2 * 2 ** 30 });
  const kinds: string[] = [...HOSTILE_BEHAVIOURS, PRIVATE_ENDPOINT];
  const spec = (kind: string): MinerSpec => ({
    command: [process.execPath, '--import', 'tsx', hostileMiner, '--hostile.endpoint', kind === PRIVATE_ENDPOINT ? canary.url : hostile.endpoint, '--hostile.bucket', kind === PRIVATE_ENDPOINT ? 'private' : kind],
  });
  let subnet: LocalSubnet | undefined;
  try {
    subnet = await startLocalSubnet({
      dir: o.dir,
      validators: 2,
      miners: [...Array.from({ length: HONEST }, () => ({})), ...kinds.map(spec)],
      chainPort: 0,
      redisPort: 0,
      s3Port: 0,
      dashboardPort: 0,
      blockTimeMs: BLOCK_MS,
      blocksPerWindow: BLOCKS_PER_WINDOW,
      // Public-subnet rules, with two exceptions: the subnet's own S3 server (added by startLocalSubnet)
      // and the hostile server. The canary, Redis and the devnet are all forbidden.
      peerEndpoints: { allowPrivateEndpoints: false, allowAddresses: [new URL(hostile.endpoint).host] },
    });
    const s = subnet;
    const honest = new Set(s.miners.slice(0, HONEST).map((m) => m.hotkeyAddress));
    const kindOf = new Map<string, string>(kinds.map((k, i) => [s.miners[HONEST + i]!.hotkeyAddress, k]));
    const validators = s.validators.map((v) => v.name);
    let maxRss = 0;
    const sampler = setInterval(() => {
      for (const r of s.records()) if (validators.includes(r.name) && r.pid > 0) maxRss = Math.max(maxRss, rssMb(r.pid) ?? 0);
    }, 1000);
    const scores = (v: string) => readJsonLines<ScoresLine>(join(s.dir, 'state', v, 'scores.jsonl'), (x) => typeof x['window'] === 'number');
    const logFile = (v: string) => s.records().find((r) => r.name === v)?.logFile ?? join(s.dir, 'logs', `${v}.log`);
    const reports = (v: string) => readJsonLines<WindowLine>(logFile(v), (x) => typeof x['msg'] === 'string' && /^window \d+: seen/.test(x['msg'] as string));
    let firstRated: number | undefined;
    let reported = -1;
    const windowMs = BLOCKS_PER_WINDOW * BLOCK_MS;
    const started = Date.now();
    try {
      for (;;) {
        const lines = validators.map(scores);
        const rated = Math.min(...lines.map((l) => l.at(-1)?.window ?? -1));
        // The first window both rate is start-up (the miners' first uploads, the validators' first
        // sessions): measuring starts with the next one.
        if (firstRated === undefined && rated >= 0) [firstRated, reported] = [rated + 1, rated];
        for (let w = reported + 1; w <= rated; w++) {
          const parts = lines.map((l, i) => {
            const line = l.find((x) => x.window === w);
            if (!line) return `${validators[i]}: —`;
            const scored = line.verdicts.filter((v) => v.status === 'scored' && honest.has(v.hotkey)).length;
            const refused = line.verdicts.filter((v) => v.status === 'rejected' && kindOf.has(v.hotkey)).length;
            return `${validators[i]}: ${scored}/${HONEST} honest scored, ${refused}/${kinds.length} hostile refused`;
          });
          log(`window ${w}: ${parts.join('; ')}; validator RSS max ${maxRss.toFixed(0)} MB; canary connections ${canary.connections()}`);
        }
        reported = Math.max(reported, rated);
        if (firstRated !== undefined && rated - firstRated + 1 >= o.windows) break;
        // A subnet that stops rating is a failure of the suite, not a reason to wait forever.
        if (Date.now() - started > 5 * 60_000 + o.windows * 3 * windowMs) throw new Error(`only ${firstRated === undefined ? 0 : rated - firstRated + 1} of ${o.windows} windows rated in ${Math.round((Date.now() - started) / 1000)} s`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      clearInterval(sampler);
    }
    const first = firstRated!;
    const last = first + o.windows - 1;
    // A window's report is logged just after its scores are written: give the last one a moment.
    for (let i = 0; i < 20 && !validators.every((v) => reports(v).some((x) => x.window === last)); i++) await new Promise((r) => setTimeout(r, 500));
    const byValidator = validators.map((v) => ({ v, scores: scores(v), reports: reports(v) }));
    let windowsRated = 0;
    const notOnTime: string[] = [];
    let honestUnscored = 0;
    let maxCollect = 0;
    let maxRate = 0;
    for (let w = first; w <= last; w++) {
      let onTime = true;
      for (const { v, scores: sl, reports: rl } of byValidator) {
        const line = sl.find((x) => x.window === w);
        const report = rl.find((x) => x.window === w);
        if (!line || !report) {
          onTime = false;
          notOnTime.push(`${v} window ${w}: ${line ? 'no report logged' : 'not rated'}`);
          continue;
        }
        maxCollect = Math.max(maxCollect, report.collectSeconds ?? 0);
        maxRate = Math.max(maxRate, report.rateSeconds);
        if (report.rateSeconds > windowMs / 1000) {
          onTime = false;
          notOnTime.push(`${v} window ${w}: rated in ${report.rateSeconds} s`);
        }
        if ([...honest].some((h) => !line.verdicts.some((v) => v.hotkey === h && v.status === 'scored'))) honestUnscored++;
      }
      if (onTime) windowsRated++;
    }
    const hostileVerdicts: HostileStorageResult['hostile_verdicts'] = {};
    for (const { v, scores: sl } of byValidator) {
      const line = sl.find((x) => x.window === last);
      for (const verdict of line?.verdicts ?? []) {
        const kind = kindOf.get(verdict.hotkey);
        if (!kind) continue;
        const outcome = verdict.status === 'scored' ? 'scored' : verdict.reason;
        const detail = verdict.status === 'scored' ? '' : verdict.detail;
        (hostileVerdicts[kind] ??= []).push({ validator: v, outcome, detail });
      }
    }
    return {
      windows: o.windows,
      windows_rated: windowsRated,
      not_on_time: notOnTime,
      max_collect_s: Number(maxCollect.toFixed(2)),
      max_rate_s: Number(maxRate.toFixed(2)),
      max_validator_rss_mb: Math.round(maxRss),
      forbidden_requests: canary.connections(),
      honest_unscored_windows: honestUnscored,
      hostile_verdicts: hostileVerdicts,
      hostile_requests: hostile.stats.requests,
    };
  } finally {
    await subnet?.close();
    await hostile.close();
    await canary.close();
  }
}
