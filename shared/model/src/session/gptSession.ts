import { CrucibleError } from '@crucible/core';
import { validateConfig, vocabSizeOf, type GptConfig } from '../gpt/config.js';
import { buildEvalGraph, buildLogitsGraph, buildTrainGraph, graphNames } from '../gpt/graphs.js';
import { checkParams, paramTable, type GptParams, type ParamSpec } from '../gpt/params.js';
import type { ExecutionProvider } from './executionProvider.js';
import { OnnxSession, type SessionTensor } from './session.js';

export type GraphKind = 'train' | 'eval' | 'logits';

export interface GptSessionOptions {
  config: GptConfig;
  /** Sequences per call; every call takes exactly batch × blockSize tokens. */
  batch: number;
  /** onnxruntime intra-op threads (results are bit-reproducible for a fixed count). Default 1. */
  threads?: number;
  /** Which graphs to build. Default all three. */
  graphs?: readonly GraphKind[];
  /** Idle onnxruntime threads spin instead of sleeping (see SessionOptions.spinWait). Default false. */
  spinWait?: boolean;
  /** Where the graphs run (see SessionOptions). Default 'cpu'. */
  executionProvider?: ExecutionProvider;
  deviceId?: number;
  /** Default: on for 'cpu', off for GPUs (see SessionOptions.deterministic). */
  deterministic?: boolean;
}

/** batch × blockSize token ids (0..vocabSize−1; bytes by default), row-major (B,T); targets are the next tokens. */
export interface TokenBatch {
  tokens: ArrayLike<number>;
  targets: ArrayLike<number>;
}

export interface TrainStepResult {
  /** Mean cross-entropy over all positions (nats). */
  loss: number;
  /**
   * Gradient of the loss for every parameter, in paramTable() order. The arrays belong to the session
   * and are overwritten by its next trainStep: copy them to keep them.
   */
  grads: Float32Array[];
}

/**
 * The GPT's compiled train, eval and logits graphs for one (config, batch). Parameters are passed on
 * every call, so an optimizer updates them in place with no rebuild.
 */
export class GptSession {
  readonly config: GptConfig;
  readonly batch: number;
  readonly table: readonly ParamSpec[];
  private readonly sessions: Partial<Record<GraphKind, OnnxSession>>;
  private readonly tokenBuf: BigInt64Array;
  private readonly targetBuf: BigInt64Array;
  private trainOutputs: Record<string, SessionTensor> | undefined;

  private constructor(config: GptConfig, batch: number, sessions: Partial<Record<GraphKind, OnnxSession>>) {
    this.config = config;
    this.batch = batch;
    this.table = paramTable(config);
    this.sessions = sessions;
    this.tokenBuf = new BigInt64Array(batch * config.blockSize);
    this.targetBuf = new BigInt64Array(batch * config.blockSize);
  }

  static async create(options: GptSessionOptions): Promise<GptSession> {
    const config = validateConfig(options.config);
    if (!Number.isSafeInteger(options.batch) || options.batch < 1) {
      throw new CrucibleError('CONFIG_INVALID', `batch must be a positive integer, got ${options.batch}`);
    }
    const kinds = options.graphs ?? ['train', 'eval', 'logits'];
    const builders = { train: buildTrainGraph, eval: buildEvalGraph, logits: buildLogitsGraph };
    const sessions: Partial<Record<GraphKind, OnnxSession>> = {};
    const ep = options.executionProvider ?? 'cpu';
    try {
      for (const kind of kinds) {
        // WebGPU has no FusedMatMul kernel: those graphs use standard ops only.
        sessions[kind] = await OnnxSession.create(builders[kind](config, { batch: options.batch, contribOps: ep !== 'webgpu' }), {
          threads: options.threads ?? 1,
          spinWait: options.spinWait ?? false,
          executionProvider: ep,
          ...(options.deviceId === undefined ? {} : { deviceId: options.deviceId }),
          ...(options.deterministic === undefined ? {} : { deterministic: options.deterministic }),
        });
      }
    } catch (err) {
      for (const s of Object.values(sessions)) await s.close();
      throw err;
    }
    return new GptSession(config, options.batch, sessions);
  }

  /** Mean loss and the gradient of every parameter for one batch. */
  async trainStep(params: GptParams, batch: TokenBatch): Promise<TrainStepResult> {
    this.trainOutputs ??= Object.fromEntries([
      [graphNames.loss, { data: new Float32Array(1), dims: [] }],
      ...this.table.map((p) => [graphNames.grad(p.name), { data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)), dims: p.shape }]),
    ]) as Record<string, SessionTensor>;
    const out = await this.session('train').run(this.feeds(params, batch.tokens, batch.targets), undefined, this.trainOutputs);
    const loss = (out[graphNames.loss]!.data as Float32Array)[0]!;
    const grads = this.table.map((p) => out[graphNames.grad(p.name)]!.data as Float32Array);
    return { loss, grads };
  }

  /** Each sequence's mean loss (B), in nats. */
  async sequenceLoss(params: GptParams, batch: TokenBatch): Promise<Float32Array> {
    const out = await this.session('eval').run(this.feeds(params, batch.tokens, batch.targets));
    return out[graphNames.sequenceLoss]!.data as Float32Array;
  }

  /** Logits (B,T,V) row-major; position t sees tokens 0..t only, so right padding is harmless. */
  async logits(params: GptParams, tokens: ArrayLike<number>): Promise<Float32Array> {
    const out = await this.session('logits').run(this.feeds(params, tokens));
    return out[graphNames.logits]!.data as Float32Array;
  }

  async close(): Promise<void> {
    for (const kind of Object.keys(this.sessions) as GraphKind[]) {
      const s = this.sessions[kind];
      delete this.sessions[kind];
      await s?.close();
    }
  }

  private session(kind: GraphKind): OnnxSession {
    const s = this.sessions[kind];
    if (s === undefined) throw new CrucibleError('MODEL', `the ${kind} graph was not built for this session (or it is closed)`);
    return s;
  }

  private feeds(params: GptParams, tokens: ArrayLike<number>, targets?: ArrayLike<number>): Record<string, SessionTensor> {
    const feeds: Record<string, SessionTensor> = {};
    for (const { spec, data } of checkParams(this.config, params)) feeds[spec.name] = { data, dims: spec.shape };
    const dims = [this.batch, this.config.blockSize];
    feeds[graphNames.tokens] = { data: fillIds(this.tokenBuf, tokens, 'tokens', vocabSizeOf(this.config)), dims };
    if (targets !== undefined) feeds[graphNames.targets] = { data: fillIds(this.targetBuf, targets, 'targets', vocabSizeOf(this.config)), dims };
    return feeds;
  }
}

function fillIds(buf: BigInt64Array, ids: ArrayLike<number>, what: string, vocabSize: number): BigInt64Array {
  if (ids.length !== buf.length) throw new CrucibleError('DATA', `${what}: expected ${buf.length} ids, got ${ids.length}`);
  for (let i = 0; i < buf.length; i++) {
    const v = ids[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < vocabSize)) throw new CrucibleError('DATA', `${what}[${i}] = ${v} is outside the vocabulary [0, ${vocabSize})`);
    buf[i] = BigInt(v);
  }
  return buf;
}
