import { pathToFileURL } from 'node:url';
import { validateConfig, type GptConfig } from '../gpt/config.js';
import { initParams } from '../gpt/init.js';
import { GptSession } from '../session/gptSession.js';
import { measureGemmRate, trainMatmulFlops } from './gemmRoofline.js';
import { Trainer } from './trainer.js';

export interface ThroughputOptions {
  config: GptConfig;
  batch: number;
  threads: number;
  /** Timed training steps (each: forward, backward, clip, AdamW). */
  steps: number;
  /** Timed forward-only batches (eval graph: logits and per-sequence loss). */
  forwardSteps: number;
  /** Untimed steps before each measurement. Default 2. */
  warmup?: number;
  spinWait?: boolean;
}

export interface ThroughputResult {
  trainTokensPerS: number;
  /** Throughput of the median training step (robust to other load on the machine). */
  medianTrainTokensPerS: number;
  forwardTokensPerS: number;
  firstLoss: number;
  lastLoss: number;
  /** Peak resident set size of this process after training, and at the end, in MB. */
  trainPeakRssMb: number;
  peakRssMb: number;
  /** FLOPs of the matrix products in one training step (see trainMatmulFlops). */
  trainMatmulFlops: number;
  /** onnxruntime's sustained Gemm rate on this machine with the same threads (FLOP/s). */
  gemmFlopsPerS: number;
}

/**
 * Measures training and forward-only throughput on a fixed random batch, one phase after the other,
 * each with only the graph it needs (as a miner trains and a validator evaluates).
 */
export async function measureThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  const config = validateConfig(o.config);
  const tokensPerBatch = o.batch * config.blockSize;
  const warmup = o.warmup ?? 2;
  const data = randomBatch(tokensPerBatch + o.batch, o.batch, config.blockSize);
  const trainer = await Trainer.create({ config, params: initParams(config, 0), batch: o.batch, threads: o.threads, withEval: false, spinWait: o.spinWait ?? false });
  const stepMs: number[] = [];
  let firstLoss = NaN;
  let lastLoss = NaN;
  try {
    for (let i = 0; i < warmup; i++) lastLoss = (await trainer.step(data, 2e-3)).loss;
    firstLoss = lastLoss;
    for (let i = 0; i < o.steps; i++) {
      const t0 = performance.now();
      lastLoss = (await trainer.step(data, 2e-3)).loss;
      stepMs.push(performance.now() - t0);
    }
  } finally {
    await trainer.close();
  }
  const trainPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const session = await GptSession.create({ config, batch: o.batch, threads: o.threads, graphs: ['eval'], spinWait: o.spinWait ?? false });
  let forwardMs = 0;
  try {
    for (let i = 0; i < warmup; i++) await session.sequenceLoss(trainer.params, data);
    const t0 = performance.now();
    for (let i = 0; i < o.forwardSteps; i++) await session.sequenceLoss(trainer.params, data);
    forwardMs = performance.now() - t0;
  } finally {
    await session.close();
  }
  const gemmFlopsPerS = await measureGemmRate({ tokens: tokensPerBatch, width: config.nEmbd, threads: o.threads, spinWait: o.spinWait ?? false });
  const sorted = [...stepMs].sort((a, b) => a - b);
  return {
    trainTokensPerS: (tokensPerBatch * o.steps * 1000) / stepMs.reduce((a, b) => a + b, 0),
    medianTrainTokensPerS: (tokensPerBatch * 1000) / sorted[Math.floor(sorted.length / 2)]!,
    forwardTokensPerS: (tokensPerBatch * o.forwardSteps * 1000) / forwardMs,
    firstLoss,
    lastLoss,
    trainPeakRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    trainMatmulFlops: trainMatmulFlops(config, o.batch),
    gemmFlopsPerS,
  };
}

/** Random bytes from a fixed LCG, split into inputs and next-byte targets; values do not affect speed. */
function randomBatch(count: number, batch: number, seq: number): { tokens: number[]; targets: number[] } {
  let s = 1;
  const bytes = Array.from({ length: count }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24));
  const tokens: number[] = [];
  const targets: number[] = [];
  for (let b = 0; b < batch; b++) {
    const row = bytes.slice(b * (seq + 1), (b + 1) * (seq + 1));
    tokens.push(...row.slice(0, -1));
    targets.push(...row.slice(1));
  }
  return { tokens, targets };
}

// Run as a program (`node dist/train/measureThroughput.js '<options JSON>'`), it prints one JSON line,
// so a benchmark can measure it in a clean child process, as it measures PyTorch.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = JSON.parse(process.argv[2] ?? '{}') as ThroughputOptions;
  measureThroughput(options).then(
    (r) => {
      process.stdout.write(JSON.stringify(r) + '\n');
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
