import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { validateConfig, type GptConfig } from '../gpt/config.js';
import { initParams } from '../gpt/init.js';
import { paramCount } from '../gpt/params.js';
import type { OptimizerPrecision } from '../optim/adamwGraph.js';
import type { ExecutionProvider } from '../session/executionProvider.js';
import type { TokenBatch } from '../session/gptSession.js';
import { trainMatmulFlops } from './gemmRoofline.js';
import { WindowTrainer } from './windowTrainer.js';

export interface MeasureWindowOptions {
  config: GptConfig;
  /** Sequences per micro-batch. */
  batch: number;
  /** Inner steps per run (a window's H). */
  steps: number;
  /** Timed runs after `warmup` untimed ones. */
  runs: number;
  warmup?: number;
  executionProvider: ExecutionProvider;
  accumulate?: number;
  threads?: number;
  deterministic?: boolean;
  lr?: number;
  /** Optimizer arithmetic (WindowTrainerOptions.precision). */
  precision?: OptimizerPrecision;
  /** A text file the batches are cut from (so the loss moves); random bytes when absent. */
  text?: string;
}

export interface MeasureWindowResult {
  provider: ExecutionProvider;
  params: number;
  /** Tokens one step trains on (accumulate · batch · blockSize). */
  batch_tokens: number;
  steps_per_run: number;
  session_create_ms: number;
  run_ms: number[];
  run_ms_median: number;
  /** Full training steps (forward, backward, clip, AdamW) per second of the median run, state transfers included. */
  tokens_per_s: number;
  /** Matrix-product FLOP/s of the median run (trainMatmulFlops). */
  tflops: number;
  /** Every step's loss, runs in order (warm-up runs first). */
  losses: number[];
  grad_norms: number[];
}

/**
 * Times WindowTrainer.run: `warmup + runs` consecutive runs of `steps` inner steps each, continuing
 * from one another as a miner's windows do (parameters reset to the initial ones each run, moments
 * carried), batch k of the whole sequence cut from fixed offsets of the text.
 */
export async function measureWindow(o: MeasureWindowOptions): Promise<MeasureWindowResult> {
  const config = validateConfig(o.config);
  const A = o.accumulate ?? 1;
  const warmup = o.warmup ?? 1;
  const stepTokens = A * o.batch * config.blockSize;
  const source = o.text === undefined ? randomBytes(1 << 20) : readFileSync(o.text);
  const t0 = performance.now();
  const trainer = await WindowTrainer.create({
    config,
    batch: o.batch,
    maxSteps: o.steps,
    accumulate: A,
    executionProvider: o.executionProvider,
    threads: o.threads ?? 1,
    ...(o.deterministic === undefined ? {} : { deterministic: o.deterministic }),
    ...(o.precision === undefined ? {} : { precision: o.precision }),
  });
  const sessionCreateMs = performance.now() - t0;
  const init = initParams(config, 0);
  const runMs: number[] = [];
  const losses: number[] = [];
  const gradNorms: number[] = [];
  try {
    for (let r = 0; r < warmup + o.runs; r++) {
      const batches = Array.from({ length: o.steps }, (_, k) => cutBatch(source, r * o.steps + k, A * o.batch, config.blockSize));
      trainer.setParams(init);
      const a = performance.now();
      const out = await trainer.run(batches, batches.map(() => o.lr ?? 1e-3));
      if (r >= warmup) runMs.push(performance.now() - a);
      losses.push(...out.losses);
      gradNorms.push(...out.gradNorms);
    }
  } finally {
    await trainer.close();
  }
  const median = [...runMs].sort((x, y) => x - y)[Math.floor(runMs.length / 2)]!;
  return {
    provider: o.executionProvider,
    params: paramCount(config),
    batch_tokens: stepTokens,
    steps_per_run: o.steps,
    session_create_ms: Math.round(sessionCreateMs),
    run_ms: runMs.map((x) => Math.round(x * 10) / 10),
    run_ms_median: median,
    tokens_per_s: (o.steps * stepTokens * 1000) / median,
    tflops: (o.steps * A * trainMatmulFlops(config, o.batch)) / (median / 1000) / 1e12,
    losses,
    grad_norms: gradNorms,
  };
}

/** Sequences of blockSize + 1 bytes from fixed, step-dependent offsets of `source`. */
function cutBatch(source: Uint8Array, step: number, sequences: number, T: number): TokenBatch {
  const tokens = new Array<number>(sequences * T);
  const targets = new Array<number>(sequences * T);
  let s = (step * 2654435761 + 12345) >>> 0;
  for (let b = 0; b < sequences; b++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const off = s % (source.length - T - 1);
    for (let t = 0; t < T; t++) {
      tokens[b * T + t] = source[off + t]!;
      targets[b * T + t] = source[off + t + 1]!;
    }
  }
  return { tokens, targets };
}

function randomBytes(n: number): Uint8Array {
  let s = 1;
  return Uint8Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
}

// Run as a program (`node dist/train/measureWindow.js '<options JSON>'`) it prints one JSON line, so a
// benchmark measures every configuration in a fresh process (GPU memory released, environment applied).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = JSON.parse(process.argv[2] ?? '{}') as MeasureWindowOptions;
  measureWindow(options).then(
    (r) => {
      process.stdout.write(JSON.stringify(r) + '\n');
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.stdout.write(JSON.stringify({ error: String((e as Error).message ?? e), code: (e as { code?: string }).code ?? null }) + '\n');
      process.exit(1);
    },
  );
}
