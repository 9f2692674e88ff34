/**
 * Training-throughput benchmark: the small preset (4 layers, width 256, 4 heads, context 128) at batch 16,
 * ours (onnxruntime-node graphs + AdamW over Float32Arrays) against the PyTorch baseline running the
 * identical model with the same thread count. Both run as clean child processes (ours: plain node on
 * the built dist/, so the TypeScript loader's memory is not counted), one after the other. Prints
 * figures, then one final JSON line.
 *
 * Env: CRUCIBLE_BENCH_THREADS (default 2), CRUCIBLE_BENCH_STEPS (timed training steps, default 10),
 *      CRUCIBLE_BENCH_SKIP_TORCH=1 to measure ours only (torch figures are then null),
 *      CRUCIBLE_BENCH_SPIN=1 to let onnxruntime's idle threads spin (faster only on an idle machine).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { presets } from '../src/gpt/config.js';
import { paramCount } from '../src/gpt/params.js';
import type { ThroughputOptions, ThroughputResult } from '../src/train/measureThroughput.js';
import { runTorchBaseline, type TorchBaselineResult } from './torch/runTorchBaseline.js';

const config = presets.small;
const batch = 16;
const threads = Number(process.env.CRUCIBLE_BENCH_THREADS ?? 2);
const steps = Number(process.env.CRUCIBLE_BENCH_STEPS ?? 10);
const spinWait = process.env.CRUCIBLE_BENCH_SPIN === '1';
const batchTokens = batch * config.blockSize;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function measureOurs(): ThroughputResult {
  const script = fileURLToPath(new URL('../dist/train/measureThroughput.js', import.meta.url));
  const options: ThroughputOptions = { config, batch, threads, steps, forwardSteps: 2 * steps, spinWait };
  const child = spawnSync(process.execPath, [script, JSON.stringify(options)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = child.stdout.split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (child.status !== 0 || line === undefined) throw new Error(`measureThroughput failed (exit ${child.status}); run 'npm run build -w shared/model' first`);
  return JSON.parse(line) as ThroughputResult;
}

const params = paramCount(config);
console.log(`model: small preset ${JSON.stringify(config)}, ${fmt(params)} parameters; batch ${batch}×${config.blockSize} = ${batchTokens} tokens; ${threads} threads${spinWait ? ' (spinning)' : ''}`);
console.log(`load average ${loadavg()[0]!.toFixed(1)}: figures depend on other load on the machine; compare ours and torch from the same run`);
const ours = measureOurs();
console.log(
  `ours  train (fwd+bwd+clip+AdamW): ${fmt(ours.trainTokensPerS)} tokens/s over ${steps} steps (median step ${fmt(ours.medianTrainTokensPerS)} tokens/s), ` +
    `loss ${ours.firstLoss.toFixed(4)} -> ${ours.lastLoss.toFixed(4)}, peak RSS ${ours.trainPeakRssMb.toFixed(0)} MB`,
);
console.log(`ours  forward only:               ${fmt(ours.forwardTokensPerS)} tokens/s; peak RSS ${ours.peakRssMb.toFixed(0)} MB`);
// The ceiling: if everything but the matrix products took no time, a step could not be faster than
// its matrix-product FLOPs at this machine's sustained Gemm rate.
const matmulMs = (ours.trainMatmulFlops / ours.gemmFlopsPerS) * 1000;
const ceiling = (batchTokens * 1000) / matmulMs;
const oursStepMs = (batchTokens * 1000) / ours.trainTokensPerS;
console.log(
  `roofline: ${(ours.trainMatmulFlops / 1e9).toFixed(1)} GFLOP of matrix products per step; onnxruntime Gemm sustains ${(ours.gemmFlopsPerS / 1e9).toFixed(0)} GFLOP/s here ` +
    `(${threads} threads), so they alone take ${matmulMs.toFixed(0)} ms: at most ${fmt(ceiling)} tokens/s; ours spends ${(oursStepMs - matmulMs).toFixed(0)} ms of its ${oursStepMs.toFixed(0)} ms step on everything else`,
);

let torch: TorchBaselineResult | undefined;
if (process.env.CRUCIBLE_BENCH_SKIP_TORCH !== '1') {
  torch = await runTorchBaseline({
    nLayer: config.nLayer,
    nEmbd: config.nEmbd,
    nHead: config.nHead,
    blockSize: config.blockSize,
    batchSize: batch,
    threads,
    steps,
    forwardSteps: 2 * steps,
    onLine: (line) => {
      if (!line.startsWith('{')) console.log(`torch | ${line}`);
    },
  });
  console.log(`torch loaded BLAS: ${torch.blas} (${torch.blas_libraries.join(', ') || 'none'})`);
  const targetStepMs = (batchTokens * 1000) / (1.5 * torch.train_tokens_per_s);
  console.log(
    `ratio ${(ours.trainTokensPerS / torch.train_tokens_per_s).toFixed(2)}× torch; 1.5× torch means a ${targetStepMs.toFixed(0)} ms step, ` +
      `which leaves ${(targetStepMs - matmulMs).toFixed(0)} ms for everything besides the matrix products (ours now: ${(oursStepMs - matmulMs).toFixed(0)} ms; ` +
      `at most ${(ceiling / torch.train_tokens_per_s).toFixed(2)}× torch if that took no time at all)`,
  );
}
const round = (x: number | undefined, digits = 0) => (x === undefined ? null : Number(x.toFixed(digits)));
console.log(
  JSON.stringify({
    bench: 'train',
    params,
    batch_tokens: batchTokens,
    ours_tokens_per_s: round(ours.trainTokensPerS),
    torch_tokens_per_s: round(torch?.train_tokens_per_s),
    ratio: torch === undefined ? null : round(ours.trainTokensPerS / torch.train_tokens_per_s, 3),
    ours_peak_rss_mb: round(ours.peakRssMb, 1),
    torch_peak_rss_mb: round(torch?.peak_rss_mb, 1),
  }),
);
