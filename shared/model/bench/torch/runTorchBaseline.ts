/**
 * Runs the PyTorch baseline (baseline.py) from Node for the package benchmark: makes sure Debian's torch
 * is installed (ensure-torch.sh, which needs root the first time), runs the identical model with Debian's
 * /usr/bin/python3 and returns the figures from its final JSON line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface TorchBaselineOptions {
  nLayer: number;
  nEmbd: number;
  nHead: number;
  blockSize: number;
  batchSize: number;
  threads: number;
  /** Timed training steps (default 10). */
  steps?: number;
  /** Timed forward-only steps (default 20). */
  forwardSteps?: number;
  /**
   * OMP_WAIT_POLICY for torch's OpenMP threads (default: the library default). On an oversubscribed machine
   * spinning threads collapse multi-thread throughput about tenfold; 'passive' avoids that.
   */
  ompWaitPolicy?: 'default' | 'passive' | 'active';
  /** Skip ensure-torch.sh (e.g. when already checked in this run). */
  skipEnsure?: boolean;
  /** Receives the human-readable lines as they are printed. */
  onLine?: (line: string) => void;
}

export interface TorchBaselineResult {
  bench: 'torch';
  params: number;
  batch_tokens: number;
  threads: number;
  omp_wait_policy: string;
  train_tokens_per_s: number;
  forward_tokens_per_s: number;
  /** Median single-step figures, robust to other processes stealing the CPU for a few steps. */
  train_median_tokens_per_s: number;
  forward_median_tokens_per_s: number;
  peak_rss_mb: number;
  train_peak_rss_mb: number;
  blas: string;
  blas_libraries: string[];
  torch: string;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export async function runTorchBaseline(options: TorchBaselineOptions): Promise<TorchBaselineResult> {
  const onLine = options.onLine ?? (() => undefined);
  if (options.skipEnsure !== true) await run('bash', [here('./ensure-torch.sh')], onLine);
  const args = [
    here('./baseline.py'),
    '--n-layer', String(options.nLayer),
    '--n-embd', String(options.nEmbd),
    '--n-head', String(options.nHead),
    '--block-size', String(options.blockSize),
    '--batch-size', String(options.batchSize),
    '--threads', String(options.threads),
    '--steps', String(options.steps ?? 10),
    '--forward-steps', String(options.forwardSteps ?? 20),
    '--omp-wait-policy', options.ompWaitPolicy ?? 'default',
  ];
  const lines = await run('/usr/bin/python3', args, onLine);
  const last = lines.filter((l) => l.startsWith('{')).at(-1);
  if (last === undefined) throw new Error('torch baseline printed no JSON result line');
  return JSON.parse(last) as TorchBaselineResult;
}

function run(command: string, args: string[], onLine: (line: string) => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffered = '';
    const take = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        onLine(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => {
      if (buffered !== '') {
        lines.push(buffered);
        onLine(buffered);
      }
      if (code === 0) resolve(lines);
      else reject(new Error(`${command} ${args[0] ?? ''} exited with ${code}: ${lines.slice(-5).join(' | ')}`));
    });
  });
}
