/**
 * Training-throughput benchmark: the small preset (4 layers, width 256, 4 heads, context 128) at batch 16,
 * ours (onnxruntime-node graphs + AdamW over Float32Arrays) against the PyTorch baseline running the
 * identical model with the same thread count. Prints figures, then one final JSON line.
 *
 * Env: CRUCIBLE_BENCH_THREADS (default 2), CRUCIBLE_BENCH_STEPS (timed training steps, default 10),
 *      CRUCIBLE_BENCH_SKIP_TORCH=1 to measure ours only (torch figures are then null),
 *      CRUCIBLE_BENCH_SPIN=1 to let onnxruntime's idle threads spin (faster only on an idle machine).
 */
import { presets } from '../src/gpt/config.js';
import { initParams } from '../src/gpt/init.js';
import { paramCount } from '../src/gpt/params.js';
import { GptSession } from '../src/session/gptSession.js';
import { Trainer } from '../src/train/trainer.js';
import { runTorchBaseline, type TorchBaselineResult } from './torch/runTorchBaseline.js';

const config = presets.small;
const batch = 16;
const threads = Number(process.env.CRUCIBLE_BENCH_THREADS ?? 2);
const steps = Number(process.env.CRUCIBLE_BENCH_STEPS ?? 10);
const forwardSteps = 2 * steps;
const spinWait = process.env.CRUCIBLE_BENCH_SPIN === '1';
const warmup = 2;
const batchTokens = batch * config.blockSize;

function syntheticBatch(seed: number) {
  // Random bytes, as the torch baseline uses; throughput does not depend on the values.
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
  const windows = Array.from({ length: batch * (config.blockSize + 1) }, next);
  const tokens: number[] = [];
  const targets: number[] = [];
  for (let b = 0; b < batch; b++) {
    const row = windows.slice(b * (config.blockSize + 1), (b + 1) * (config.blockSize + 1));
    tokens.push(...row.slice(0, -1));
    targets.push(...row.slice(1));
  }
  return { tokens, targets };
}

async function measureOurs() {
  const data = syntheticBatch(1);
  // Training and forward-only run one after the other, each with only the graph it needs, as a miner
  // (train) and a validator (eval) would.
  const trainer = await Trainer.create({ config, params: initParams(config, 0), batch, threads, withEval: false, spinWait });
  let loss = NaN;
  let firstLoss = NaN;
  let trainSeconds = NaN;
  const stepMs: number[] = [];
  try {
    for (let i = 0; i < warmup; i++) loss = (await trainer.step(data, 2e-3)).loss;
    firstLoss = loss;
    const started = performance.now();
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      loss = (await trainer.step(data, 2e-3)).loss;
      stepMs.push(performance.now() - t0);
    }
    trainSeconds = (performance.now() - started) / 1000;
  } finally {
    await trainer.close();
  }
  const trainRssMb = process.resourceUsage().maxRSS / 1024;
  const session = await GptSession.create({ config, batch, threads, graphs: ['eval'], spinWait });
  let forwardSeconds = NaN;
  try {
    for (let i = 0; i < warmup; i++) await session.sequenceLoss(trainer.params, data);
    const started = performance.now();
    for (let i = 0; i < forwardSteps; i++) await session.sequenceLoss(trainer.params, data);
    forwardSeconds = (performance.now() - started) / 1000;
  } finally {
    await session.close();
  }
  return {
    firstLoss,
    loss,
    trainTokensPerS: (batchTokens * steps) / trainSeconds,
    msPerStep: (trainSeconds / steps) * 1000,
    medianStepMs: stepMs.sort((a, b) => a - b)[Math.floor(stepMs.length / 2)]!,
    forwardTokensPerS: (batchTokens * forwardSteps) / forwardSeconds,
    trainRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const params = paramCount(config);
console.log(`model: small preset ${JSON.stringify(config)}, ${params.toLocaleString('en-US')} parameters; batch ${batch}×${config.blockSize} = ${batchTokens} tokens; ${threads} threads${spinWait ? " (spinning)" : ""}`);
console.log('note: figures depend on other load on the machine; compare ours and torch from the same run');
const ours = await measureOurs();
console.log(`ours  train (fwd+bwd+clip+AdamW): ${Math.round(ours.trainTokensPerS).toLocaleString('en-US')} tokens/s (${ours.msPerStep.toFixed(1)} ms/step over ${steps} steps; median step ${Math.round((batchTokens / ours.medianStepMs) * 1000).toLocaleString('en-US')} tokens/s), loss ${ours.firstLoss.toFixed(4)} -> ${ours.loss.toFixed(4)}`);
console.log(`ours  forward only:               ${Math.round(ours.forwardTokensPerS).toLocaleString('en-US')} tokens/s; peak RSS ${ours.peakRssMb.toFixed(0)} MB (${ours.trainRssMb.toFixed(0)} MB after training)`);

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
    forwardSteps,
    onLine: (line) => {
      if (!line.startsWith('{')) console.log(`torch | ${line}`);
    },
  });
  console.log(`torch loaded BLAS: ${torch.blas} (${torch.blas_libraries.join(', ') || 'none'})`);
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
