/**
 * Benchmark of whole local windows: starts a local subnet (1 validator, 3 miners, tiny model), lets it
 * run BENCH_WINDOWS windows past the first checkpoint, and splits the wall time of a window by phase from
 * the processes' own JSON logs and the chain's block timestamps:
 *   miners      sync / train / encode / upload (their `window` lines)
 *   validator   from the first block of w+1 (when window w's uploads are due) to its `window w:` line
 *   aggregation from the validator's line before `checkpoint published` to that line
 * Prints figures, then one line {"bench":"local-window",...}. Figures on a shared 2-core machine vary.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { windowStartBlock } from '@crucible/core';
import { startLocalSubnet } from '../src/index.js';

const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 3);
const BLOCK_MS = Number(process.env.BENCH_BLOCK_MS ?? 500);
const BLOCKS_PER_WINDOW = Number(process.env.BENCH_BLOCKS_PER_WINDOW ?? 20);

interface LogLine { time: string; msg: string; [k: string]: unknown }

function readLog(file: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // a torn or non-JSON line
    }
  }
  return out;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-'));
const t0 = Date.now();
const subnet = await startLocalSubnet({ dir, validators: 1, miners: 3, chainPort: 0, redisPort: 0, s3Port: 0, dashboard: false, blockTimeMs: BLOCK_MS, blocksPerWindow: BLOCKS_PER_WINDOW });
const startupMs = Date.now() - t0;
console.log(`subnet up in ${startupMs} ms (netuid ${subnet.netuid}, logs in ${dir}/logs)`);
try {
  const validatorLog = join(dir, 'logs', 'validator-0.log');
  const published = () => readLog(validatorLog).filter((l) => l.msg === 'checkpoint published');
  const deadline = Date.now() + (WINDOWS + 6) * BLOCKS_PER_WINDOW * BLOCK_MS * 4;
  while (published().length < WINDOWS + 1) {
    if (Date.now() > deadline) throw new Error(`fewer than ${WINDOWS + 1} checkpoints before the deadline; see ${validatorLog}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  const client = await subnet.client();
  const blockTime = async (block: number) => {
    const hash = await client.api.rpc.chain.getBlockHash(block);
    const at = await client.api.at(hash);
    return Number((await at.query.timestamp!.now!()).toString());
  };

  const minerPhases: Record<string, number[]> = { syncMs: [], trainMs: [], encodeMs: [], uploadMs: [] };
  for (const m of subnet.miners) {
    for (const l of readLog(join(dir, 'logs', `${m.name}.log`))) {
      if (l.msg !== 'window' || l.outcome !== 'uploaded') continue;
      for (const k of Object.keys(minerPhases)) if (typeof l[k] === 'number') minerPhases[k]!.push(l[k] as number);
    }
  }
  const vlog = readLog(validatorLog);
  const checkpointLines = vlog.filter((l) => l.msg === 'checkpoint published');
  const validatorMs: number[] = [];
  const aggregationMs: number[] = [];
  const endToEndMs: number[] = [];
  for (const cp of checkpointLines.slice(1)) {
    const w = cp.window as number;
    const due = await blockTime(windowStartBlock(w + 1, BLOCKS_PER_WINDOW));
    const started = await blockTime(windowStartBlock(w, BLOCKS_PER_WINDOW));
    const summary = vlog.find((l) => typeof l.msg === 'string' && l.msg.startsWith(`window ${w}:`));
    const i = vlog.indexOf(cp);
    const before = i > 0 ? vlog[i - 1]! : undefined;
    const tCp = Date.parse(cp.time);
    if (summary) validatorMs.push(Date.parse(summary.time) - due);
    if (before) aggregationMs.push(tCp - Date.parse(before.time));
    endToEndMs.push(tCp - started);
  }
  const result = {
    bench: 'local-window',
    miners: subnet.miners.length,
    validators: 1,
    blockTimeMs: BLOCK_MS,
    blocksPerWindow: BLOCKS_PER_WINDOW,
    windowMs: BLOCK_MS * BLOCKS_PER_WINDOW,
    windowsMeasured: endToEndMs.length,
    startupMs,
    minerSyncMs: median(minerPhases.syncMs!),
    minerTrainMs: median(minerPhases.trainMs!),
    minerEncodeMs: median(minerPhases.encodeMs!),
    minerUploadMs: median(minerPhases.uploadMs!),
    validatorWindowMs: median(validatorMs),
    aggregationMs: median(aggregationMs),
    windowStartToCheckpointMs: median(endToEndMs),
  };
  for (const [k, v] of Object.entries(result)) if (k !== 'bench') console.log(`${k.padEnd(28)} ${v}`);
  console.log(JSON.stringify(result));
} finally {
  await subnet.close();
  rmSync(dir, { recursive: true, force: true });
}
