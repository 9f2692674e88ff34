#!/usr/bin/env node
// `npm run bench:gpu`: full training steps (forward, backward, clip, AdamW) of the medium model on an
// NVIDIA GPU through onnxruntime's CUDA execution provider, a window's inner steps per run
// (WindowTrainer: one ONNX Loop, state on the GPU), next to the CPU provider, WebGPU and PyTorch CUDA on
// the same machine, and the loss agreement with the CPU provider over 10 identical steps. Prints the
// figures, then one JSON line. Without an NVIDIA GPU it says so and exits 0.
//
// Every measurement runs in its own process (dist/train/measureWindow.js), so GPU memory is released
// between them and NVIDIA_TF32_OVERRIDE=0 (TF32 off: onnxruntime-node cannot set the CUDA provider's
// use_tf32) applies to one of them only. Needs shared/model built (npm run build).
// Env: CRUCIBLE_GPU_BENCH_SKIP=cpu,webgpu,torch,notf32 (parts to leave out); CRUCIBLE_GPU_BENCH_EXTRA=1
// (also: 15 and 60 steps a run, float32 AdamW, deterministic compute, 4 accumulated micro-batches of 16, batch 256);
// CRUCIBLE_GPU_BENCH_TEXT (a text file for the batches; default: the repository's READMEs);
// CRUCIBLE_GPU_BENCH_RUNS (timed runs per CUDA measurement, default 5; PyTorch: 4 × as many steps);
// CRUCIBLE_GPU_BENCH_DRY_RUN=1 (no GPU needed: a small model, 'cuda' runs on the CPU provider; tests the script).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const dry = env.CRUCIBLE_GPU_BENCH_DRY_RUN === '1';
const skip = new Set((env.CRUCIBLE_GPU_BENCH_SKIP ?? '').split(',').filter(Boolean));
const model = await import('@crucible/model');
const fmt = (x) => (x == null ? 'n/a' : Math.round(x).toLocaleString('en-US'));

function gpuName() {
  if (dry) return 'dry run (no GPU)';
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim().split('\n')[0] : null;
}

const gpu = gpuName();
if (gpu === null) {
  console.log('no NVIDIA GPU here (nvidia-smi found none): nothing to measure');
  console.log(JSON.stringify({ bench: 'train-gpu', provider: null, skipped: 'no NVIDIA GPU' }));
  process.exit(0);
}

const config = dry ? { nLayer: 2, nEmbd: 64, nHead: 4, blockSize: 32 } : model.presets.medium;
const H = Number(env.CRUCIBLE_GPU_BENCH_STEPS ?? (dry ? 3 : 30)); // medium-gpu's inner steps per window
const threads = Math.min(16, cpus().length);
const cudaRuns = Number(env.CRUCIBLE_GPU_BENCH_RUNS ?? 5);
const measureScript = join(dirname(fileURLToPath(import.meta.resolve('@crucible/model'))), 'train', 'measureWindow.js');
const text = env.CRUCIBLE_GPU_BENCH_TEXT ?? corpusFile();
let cudaProblem = null;
try {
  if (!dry) model.checkExecutionProvider('cuda');
} catch (e) {
  cudaProblem = e.message;
  console.log(`CUDA provider not usable: ${e.message}`);
}

console.log(`GPU: ${gpu}`);
console.log(`model ${JSON.stringify(config)}: ${fmt(model.paramCount(config))} parameters; ${H} inner steps per run; onnxruntime-node ${model.onnxruntimeInstall().version}`);

/** One measureWindow in a fresh process. Returns its JSON result, or { error }. */
function measure(label, o, extraEnv = {}) {
  const provider = dry && o.executionProvider === 'cuda' ? 'cpu' : o.executionProvider;
  const opts = { config, runs: 3, warmup: 1, threads, text, ...o, executionProvider: provider };
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [measureScript, JSON.stringify(opts)], {
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  const line = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).at(-1);
  const out = line ? JSON.parse(line) : { error: `exit ${r.status ?? r.signal}: ${(r.stderr ?? '').slice(-600)}` };
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  if (out.error) console.log(`${label.padEnd(34)} failed (${secs} s): ${out.error.slice(0, 400)}`);
  else {
    console.log(
      `${label.padEnd(34)} ${fmt(out.tokens_per_s).padStart(9)} tokens/s  run ${out.run_ms_median.toFixed(1)} ms for ${out.steps_per_run} × ${out.batch_tokens} tokens  ` +
        `${out.tflops.toFixed(1)} TFLOP/s  session ${out.session_create_ms} ms  (${secs} s)`,
    );
  }
  return out;
}

const ok = (r) => (r && !r.error ? r : null);
const cudaOk = cudaProblem === null;
const results = {};
if (cudaOk) {
  results.cuda16 = measure('cuda, batch 16', { executionProvider: 'cuda', batch: 16, steps: H, runs: cudaRuns });
  results.cuda64 = measure('cuda, batch 64', { executionProvider: 'cuda', batch: 64, steps: H, runs: cudaRuns });
  if (env.CRUCIBLE_GPU_BENCH_EXTRA === '1') {
    results.cuda16k15 = measure('cuda, batch 16, 15 steps a run', { executionProvider: 'cuda', batch: 16, steps: 15, runs: 5 });
    results.cuda16k60 = measure('cuda, batch 16, 60 steps a run', { executionProvider: 'cuda', batch: 16, steps: 60, runs: 3 });
    results.cuda16f32 = measure('cuda, batch 16, float32 AdamW', { executionProvider: 'cuda', batch: 16, steps: H, runs: 5, precision: 'float32' });
    results.cuda64k15 = measure('cuda, batch 64, 15 steps a run', { executionProvider: 'cuda', batch: 64, steps: 15, runs: 5 });
    results.cuda16det = measure('cuda, batch 16, deterministic', { executionProvider: 'cuda', batch: 16, steps: H, runs: 3, deterministic: true });
    results.cuda64acc = measure('cuda, 4 × 16 accumulated', { executionProvider: 'cuda', batch: 16, accumulate: 4, steps: H, runs: 3 });
    results.cuda256 = measure('cuda, batch 256', { executionProvider: 'cuda', batch: 256, steps: H, runs: 3 });
  }
}
if (!skip.has('cpu')) results.cpu16 = measure(`cpu (${threads} threads), batch 16`, { executionProvider: 'cpu', batch: 16, steps: 2, runs: 1, warmup: 1 });
if (!skip.has('webgpu')) {
  results.webgpu16 = measure('webgpu, batch 16', { executionProvider: 'webgpu', batch: 16, steps: H, runs: 2 });
  if (ok(results.webgpu16)) results.webgpu64 = measure('webgpu, batch 64', { executionProvider: 'webgpu', batch: 64, steps: H, runs: 2 });
}

// Loss agreement: 10 identical steps from the same initialisation, CPU provider against CUDA.
const agreement = {};
if (cudaOk) {
  const ten = { batch: 16, steps: 10, runs: 1, warmup: 0 };
  const cpu = ok(measure('losses: cpu, 10 steps', { executionProvider: 'cpu', ...ten }));
  const relDiff = (r) => (cpu && ok(r) ? Math.max(...cpu.losses.map((l, i) => Math.abs(r.losses[i] - l) / Math.abs(l))) : null);
  agreement.tf32 = relDiff(measure('losses: cuda (TF32), 10 steps', { executionProvider: 'cuda', ...ten }));
  if (!skip.has('notf32')) agreement.fp32 = relDiff(measure('losses: cuda (TF32 off), 10 steps', { executionProvider: 'cuda', ...ten }, { NVIDIA_TF32_OVERRIDE: '0' }));
  console.log(`loss agreement with the CPU provider over 10 steps: max relative difference ${agreement.tf32} (TF32), ${agreement.fp32 ?? 'n/a'} (TF32 off)`);
}

const torch = {};
if (!skip.has('torch') && !dry) {
  const script = join(root, 'shared', 'model', 'bench', 'torch', 'gpu_baseline.py');
  const args = ['--n-layer', String(config.nLayer), '--n-embd', String(config.nEmbd), '--n-head', String(config.nHead), '--block-size', String(config.blockSize)];
  const r = spawnSync('python3', [script, ...args, '--steps', String(4 * cudaRuns), '--warmup', '3'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  for (const line of (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'))) {
    const t = JSON.parse(line);
    if (t.error) console.log(`torch ${t.precision} batch ${t.batch}: failed ${t.error}`);
    else {
      torch[`${t.precision}_${t.batch}`] = t.tokens_per_s;
      console.log(`${`pytorch ${t.torch} ${t.precision}, batch ${t.batch}`.padEnd(34)} ${fmt(t.tokens_per_s).padStart(9)} tokens/s  step ${t.step_ms_median} ms  ${t.max_mem_gb} GB`);
    }
  }
  if (r.status !== 0) console.log(`pytorch baseline: exit ${r.status}: ${(r.stderr ?? '').slice(-400)}`);
}

// The card's datasheet peaks (dense): H100/H200 SXM fp32 67 TFLOP/s, TF32 tensor cores 495.
const peaks = /H100|H200/.test(gpu) ? { fp32: 67, tf32: 495 } : null;
const main = ok(results.cuda16);
if (main && peaks) {
  console.log(`TFLOP/s (matrix products, TF32 on): ${main.tflops.toFixed(1)} at batch 16, ${ok(results.cuda64)?.tflops.toFixed(1) ?? 'n/a'} at batch 64; card peak ${peaks.tf32} TF32 / ${peaks.fp32} fp32`);
}
const summary = {
  bench: 'train-gpu',
  provider: 'cuda',
  gpu,
  params: model.paramCount(config),
  batch_tokens: 16 * config.blockSize,
  steps_per_run: H,
  tokens_per_s: main?.tokens_per_s ?? null,
  tokens_per_s_batch64: ok(results.cuda64)?.tokens_per_s ?? null,
  cpu_tokens_per_s: ok(results.cpu16)?.tokens_per_s ?? null,
  webgpu_tokens_per_s: ok(results.webgpu16)?.tokens_per_s ?? null,
  webgpu_tokens_per_s_batch64: ok(results.webgpu64)?.tokens_per_s ?? null,
  torch_tokens_per_s: torch.fp32_16 ?? null,
  torch_tokens_per_s_batch64: torch.fp32_64 ?? null,
  torch_tf32_tokens_per_s: torch.tf32_16 ?? null,
  torch_tf32_tokens_per_s_batch64: torch.tf32_64 ?? null,
  tflops: main?.tflops ?? null,
  tflops_batch64: ok(results.cuda64)?.tflops ?? null,
  peak_tflops: peaks,
  loss_max_rel_diff: agreement.tf32 ?? null,
  loss_max_rel_diff_tf32_off: agreement.fp32 ?? null,
  extra: Object.fromEntries(Object.entries(results).filter(([k]) => !['cuda16', 'cuda64', 'cpu16', 'webgpu16', 'webgpu64'].includes(k)).map(([k, r]) => [k, ok(r)?.tokens_per_s ?? null])),
  ...(cudaProblem ? { error: cudaProblem } : {}),
  ...(dry ? { dry_run: true } : {}),
};
console.log(JSON.stringify(summary));
process.exit(cudaProblem ? 1 : 0);

/** The repository's READMEs as one text file: real bytes, so the losses move as in training. */
function corpusFile() {
  const files = ['README.md', 'shared/model/README.md', 'miner/README.md', 'validator/README.md', 'shared/codec/README.md'].map((f) => join(root, f)).filter(existsSync);
  if (files.length === 0) return undefined;
  const path = join(mkdtempSync(join(tmpdir(), 'crucible-bench-')), 'corpus.txt');
  writeFileSync(path, Buffer.concat(files.map((f) => readFileSync(f))));
  return path;
}
