#!/usr/bin/env node
// A whole local subnet on this machine (devnet, Redis, the S3 server, one validator evaluating on the CPU)
// with one real `crucible-miner --train.execution-provider <provider>`, until the validator has scored
// one of the miner's updates or the time is up. Prints the miner's window lines and the verdicts, then
// one JSON line {"bench":"gpu-subnet",...}; copies the subnet's logs (and the validator's scores) to
// --out as one .tar.xz. Exit 0 when an update was scored, 1 otherwise.
//   node scripts/gpu-kit/subnet-gpu.mjs --provider cuda [--preset tiny] [--timeout-s 150] [--out DIR]
//        [--dir DIR] [--blocks-per-window 10] [--genesis "--inner-steps 30 --batch-size 64 ..."]
//        [--validator "--evaluation.onnx-threads 8"]
// Runs from a repository checkout (after npm run build) or from the GPU kit's app folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const provider = flag('provider', 'cuda');
const preset = flag('preset', 'tiny');
const timeoutS = Number(flag('timeout-s', '150'));
const out = flag('out', process.env.OUT);
const dir = flag('dir', mkdtempSync(join(tmpdir(), 'crucible-gpu-subnet-')));
const blocksPerWindow = Number(flag('blocks-per-window', '10'));
const genesisArgs = (flag('genesis', '') ?? '').split(' ').filter(Boolean);
const validatorArgs = (flag('validator', '') ?? '').split(' ').filter(Boolean);
const started = Date.now();

// startLocalSubnet is not part of @crucible/deploy's public exports: load its build by path.
const deployDir = dirname(dirname(fileURLToPath(import.meta.resolve('@crucible/deploy'))));
const { startLocalSubnet } = await import(pathToFileURL(join(deployDir, 'dist', 'local', 'startLocalSubnet.js')).href);
const { createLogger } = await import('@crucible/core');

const logger = createLogger({ name: 'gpu-subnet', level: 'warn', format: 'json' });
console.log(`local subnet in ${dir}: 1 validator (CPU), 1 miner on ${provider}, preset ${preset}, ${blocksPerWindow} blocks a window ${genesisArgs.join(' ')}`);
const subnet = await startLocalSubnet({
  dir,
  validators: 1,
  miners: 1,
  chainPort: 0,
  redisPort: 0,
  s3Port: 0,
  dashboard: false,
  blockTimeMs: 1000,
  blocksPerWindow,
  preset,
  genesisArgs,
  validatorArgs,
  minerArgs: ['--train.execution-provider', provider],
  logger,
});
const miner = subnet.miners[0];
console.log(`up after ${((Date.now() - started) / 1000).toFixed(0)} s; miner ${miner.hotkeyAddress}`);

const scoresFile = join(dir, 'state', 'validator-0', 'scores.jsonl');
const minerLog = join(dir, 'logs', 'miner-0.log');
const lines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')) : []);
const parse = (l) => {
  try {
    return JSON.parse(l);
  } catch {
    return undefined;
  }
};
let scored;
let verdicts = [];
const deadline = started + timeoutS * 1000;
while (Date.now() < deadline && !scored) {
  await new Promise((r) => setTimeout(r, 1000));
  verdicts = lines(scoresFile).map(parse).filter(Boolean).flatMap((w) => w.verdicts.map((v) => ({ window: w.window, ...v }))).filter((v) => v.hotkey === miner.hotkeyAddress);
  scored = verdicts.find((v) => v.status === 'scored');
}
const windows = lines(minerLog).map(parse).filter((l) => l?.msg === 'window');
for (const w of windows) {
  console.log(
    `miner window ${w.window}: ${w.outcome}${w.reason ? ` (${w.reason})` : ''} steps ${w.steps ?? '-'} in ${w.runs ?? '-'} run(s), train ${w.trainMs ?? '-'} ms, ${w.tokensPerSecond ?? '-'} tok/s, loss ${w.lossFirst ?? '-'} → ${w.lossLast ?? '-'}, encode ${w.encodeMs ?? '-'} ms, upload ${w.uploadMs ?? '-'} ms`,
  );
}
for (const v of verdicts) console.log(`validator verdict for window ${v.window}: ${v.status}${v.status === 'scored' ? ` score ${v.score}` : ` ${v.reason}: ${v.detail}`}`);
const problems = lines(minerLog).map(parse).filter((l) => l && (l.level === 'error' || l.level === 'fatal'));
for (const p of problems.slice(0, 5)) console.log(`miner error: ${JSON.stringify(p).slice(0, 600)}`);
await subnet.close();
if (out) {
  mkdirSync(out, { recursive: true });
  spawnSync('sh', ['-c', `tar -C "${dir}" -cf - logs state/validator-0/scores.jsonl 2>/dev/null | xz -6 > "${join(out, `subnet-${provider}-${preset}.tar.xz`)}"`]);
}
const summary = {
  bench: 'gpu-subnet',
  provider,
  preset,
  scored: Boolean(scored),
  scored_window: scored?.window ?? null,
  score: scored?.score ?? null,
  miner_windows: windows.map((w) => ({ window: w.window, outcome: w.outcome, steps: w.steps, runs: w.runs, trainMs: w.trainMs, tokensPerSecond: w.tokensPerSecond })),
  verdicts: verdicts.map((v) => ({ window: v.window, status: v.status, ...(v.reason ? { reason: v.reason } : {}) })),
  seconds: Math.round((Date.now() - started) / 1000),
};
console.log(JSON.stringify(summary));
process.exit(scored ? 0 : 1);
