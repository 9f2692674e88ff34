import { CrucibleError } from '@crucible/core';
import { validateConfig, vocabSizeOf, type GptConfig } from '../gpt/config.js';
import { allocFlat, flatLayout, flatViews, type FlatLayout, type FlatTensors } from '../gpt/flatLayout.js';
import type { GptParams } from '../gpt/params.js';
import { adamWDefaults, type AdamWOptions } from '../optim/adamw.js';
import type { OptimizerPrecision } from '../optim/adamwGraph.js';
import type { ExecutionProvider } from '../session/executionProvider.js';
import type { TokenBatch } from '../session/gptSession.js';
import { FlatOptimizerState } from './flatOptimizerState.js';
import { LoopEngine } from './loopEngine.js';
import { ResidentEngine } from './residentEngine.js';
import type { WindowEngine } from './windowEngine.js';
import type { StateFamily } from './windowGraph.js';

export interface WindowTrainerOptions {
  config: GptConfig;
  /** Sequences per micro-batch. */
  batch: number;
  /** Most inner steps one run() takes (a window's inner steps). */
  maxSteps: number;
  /** Micro-batches averaged into each step (gradient accumulation; not on webgpu). Default 1. */
  accumulate?: number;
  adamw?: AdamWOptions;
  /** Default 'cpu'. cpu and cuda run the window as one ONNX Loop; webgpu keeps the state resident between step sessions. */
  executionProvider?: ExecutionProvider;
  deviceId?: number;
  /** onnxruntime intra-op threads (CPU kernels). Default 1. */
  threads?: number;
  /** Default: on for cpu, off for GPUs (see SessionOptions.deterministic). */
  deterministic?: boolean;
  spinWait?: boolean;
  /** Optimizer arithmetic. Default float64 (bit-identical to the host AdamW); webgpu: float32 only. */
  precision?: OptimizerPrecision;
}

export interface WindowRunResult {
  /** Per step run: mean training loss of its batch before the update (nats). */
  losses: number[];
  /** Per step: global gradient norm before clipping. */
  gradNorms: number[];
  /** Per step: false when the gradient norm was not finite and the step changed nothing. */
  applied: boolean[];
  /** Optimizer steps taken so far, after this run. */
  step: number;
}

type State = Record<StateFamily, FlatTensors>;

/**
 * Inner-loop training with the whole state on the execution provider's device for a run of up to
 * maxSteps steps: forward, backward, clipping and AdamW (the host AdamW's rule and guard) all inside
 * the graph, parameters and moments crossing the bus once each way per run. Equivalent to Trainer
 * step for step (bit-identical on the CPU provider with float64 optimizer arithmetic).
 *
 * The host keeps two buffer sets and the graph writes a run's results into the other one, so `params`
 * and `optimizer.viewState()` are views of the current set: valid until the next run(). Write a
 * window's base parameters into `params` (p.set(...)) before run().
 */
export class WindowTrainer {
  readonly config: GptConfig;
  readonly batch: number;
  readonly maxSteps: number;
  readonly accumulate: number;
  readonly executionProvider: ExecutionProvider;
  readonly layout: FlatLayout;
  readonly optimizer: FlatOptimizerState;
  private readonly sets: [State, State];
  private readonly views: [GptParams, GptParams];
  private cur: 0 | 1 = 0;
  private readonly tokens: BigInt64Array;
  private readonly targets: BigInt64Array;
  private readonly tables: { lr: Float64Array; bias1: Float64Array; invSqrtBias2: Float64Array };
  private engine: WindowEngine | undefined;

  private constructor(o: WindowTrainerOptions, config: GptConfig, accumulate: number, engine: WindowEngine) {
    this.config = config;
    this.batch = o.batch;
    this.maxSteps = o.maxSteps;
    this.accumulate = accumulate;
    this.executionProvider = o.executionProvider ?? 'cpu';
    this.layout = flatLayout(config);
    const alloc = (): State => ({ params: allocFlat(this.layout), m: allocFlat(this.layout), v: allocFlat(this.layout) });
    this.sets = [alloc(), alloc()];
    this.views = [flatViews(this.layout, this.sets[0].params), flatViews(this.layout, this.sets[1].params)];
    this.optimizer = new FlatOptimizerState(this.layout, { ...adamWDefaults, ...o.adamw }, () => this.sets[this.cur]);
    const n = o.maxSteps * this.stepTokens;
    this.tokens = new BigInt64Array(n);
    this.targets = new BigInt64Array(n);
    this.tables = { lr: new Float64Array(o.maxSteps), bias1: new Float64Array(o.maxSteps), invSqrtBias2: new Float64Array(o.maxSteps) };
    this.engine = engine;
  }

  static async create(o: WindowTrainerOptions): Promise<WindowTrainer> {
    const config = validateConfig(o.config);
    const accumulate = o.accumulate ?? 1;
    for (const [name, v] of [['batch', o.batch], ['maxSteps', o.maxSteps], ['accumulate', accumulate]] as const) {
      if (!Number.isSafeInteger(v) || v < 1) throw new CrucibleError('CONFIG_INVALID', `${name} must be a positive integer, got ${v}`);
    }
    const ep = o.executionProvider ?? 'cpu';
    const adamw = { ...adamWDefaults, ...o.adamw };
    const session = {
      executionProvider: ep,
      threads: o.threads ?? 1,
      spinWait: o.spinWait ?? false,
      ...(o.deviceId === undefined ? {} : { deviceId: o.deviceId }),
      ...(o.deterministic === undefined ? {} : { deterministic: o.deterministic }),
    };
    let engine: WindowEngine;
    if (ep === 'webgpu') {
      if (accumulate !== 1) throw new CrucibleError('CONFIG_INVALID', 'gradient accumulation is not available on the webgpu execution provider');
      if ((o.precision ?? 'float32') !== 'float32') throw new CrucibleError('CONFIG_INVALID', 'the webgpu execution provider has no float64 kernels: optimizer precision must be float32');
      engine = await ResidentEngine.create(config, { batch: o.batch, adamw }, session);
    } else {
      engine = await LoopEngine.create(config, { batch: o.batch, maxSteps: o.maxSteps, accumulate, adamw, precision: o.precision ?? 'float64' }, session);
    }
    return new WindowTrainer(o, config, accumulate, engine);
  }

  /** Token ids one step takes: accumulate · batch · blockSize. */
  get stepTokens(): number {
    return this.accumulate * this.batch * this.config.blockSize;
  }

  /** The current parameters (views, table order); valid until the next run(). */
  get params(): GptParams {
    return this.views[this.cur];
  }

  /**
   * Runs one inner step per batch (1..maxSteps of them; each accumulate · batch · blockSize tokens) at
   * the matching learning rate, from the current parameters and moments.
   */
  async run(batches: readonly TokenBatch[], lrs: readonly number[]): Promise<WindowRunResult> {
    const engine = this.engine;
    if (engine === undefined) throw new CrucibleError('MODEL', 'window trainer is closed');
    const n = batches.length;
    if (n < 1 || n > this.maxSteps || lrs.length !== n) {
      throw new CrucibleError('MODEL', `a run takes 1..${this.maxSteps} batches and one learning rate each, got ${n} batches and ${lrs.length} rates`);
    }
    const per = this.stepTokens;
    const { lr, bias1, invSqrtBias2 } = this.tables;
    const { beta1, beta2 } = this.optimizer.options;
    lr.fill(0);
    const vocab = vocabSizeOf(this.config);
    batches.forEach((b, k) => {
      const rate = lrs[k]!;
      if (!Number.isFinite(rate) || rate < 0) throw new CrucibleError('MODEL', `learning rate must be finite and >= 0, got ${rate}`);
      lr[k] = rate;
      fillIds(this.tokens, k * per, b.tokens, per, vocab, 'tokens');
      fillIds(this.targets, k * per, b.targets, per, vocab, 'targets');
    });
    // The j-th applied step of this run is optimizer step t = t0 + j + 1, as the host AdamW counts.
    const t0 = this.optimizer.step;
    for (let j = 0; j < this.maxSteps; j++) {
      bias1[j] = 1 - beta1 ** (t0 + j + 1);
      invSqrtBias2[j] = 1 / Math.sqrt(1 - beta2 ** (t0 + j + 1));
    }
    const next = (1 - this.cur) as 0 | 1;
    const out = await engine.run({
      state: this.sets[this.cur],
      next: this.sets[next],
      tokens: this.tokens,
      targets: this.targets,
      steps: n,
      lr,
      bias1,
      invSqrtBias2,
    });
    this.cur = next;
    this.optimizer.step += out.appliedCount;
    return { losses: out.losses, gradNorms: out.gradNorms, applied: out.applied, step: this.optimizer.step };
  }

  /** Copies `params` (table order, as a checkpoint's) into the current parameters. */
  setParams(params: ReadonlyMap<string, Float32Array>): void {
    for (const [name, view] of this.params) {
      const src = params.get(name);
      if (src === undefined || src.length !== view.length) throw new CrucibleError('CHECKPOINT_INVALID', `parameter ${name} is missing or has the wrong size`);
      view.set(src);
    }
  }

  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    await engine?.close();
  }
}

function fillIds(buf: BigInt64Array, offset: number, ids: ArrayLike<number>, n: number, vocab: number, what: string): void {
  if (ids.length !== n) throw new CrucibleError('DATA', `${what}: expected ${n} ids a step, got ${ids.length}`);
  for (let i = 0; i < n; i++) {
    const v = ids[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < vocab)) throw new CrucibleError('DATA', `${what}[${i}] = ${v} is not a token id of this ${vocab}-token vocabulary`);
    buf[offset + i] = BigInt(v);
  }
}
