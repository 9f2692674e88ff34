import { CrucibleError } from '@crucible/core';
import * as ort from 'onnxruntime-node';

/** A tensor handed to or returned from a session: data in row-major order and its shape. */
export type SessionTensorData = Float32Array | Float64Array | BigInt64Array;
export interface SessionTensor {
  readonly data: SessionTensorData;
  readonly dims: readonly number[];
}

export interface SessionOptions {
  /** onnxruntime intra-op threads. Results are bit-reproducible for a fixed thread count. Default 1. */
  threads?: number;
  /** Graph optimisation level. Default 'all'. */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

/**
 * The one place that imports onnxruntime-node. Sessions run sequentially with deterministic compute
 * enabled, so the same inputs give bit-identical outputs on a machine for a fixed thread count.
 */
export class OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private session: ort.InferenceSession | undefined;

  private constructor(session: ort.InferenceSession) {
    this.session = session;
    this.inputNames = [...session.inputNames];
    this.outputNames = [...session.outputNames];
  }

  static async create(model: Uint8Array, options: SessionOptions = {}): Promise<OnnxSession> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new CrucibleError('CONFIG_INVALID', `threads must be a positive integer, got ${threads}`);
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: options.optimization ?? 'all',
        logSeverityLevel: 3,
        extra: { session: { use_deterministic_compute: '1' } },
      });
      return new OnnxSession(session);
    } catch (cause) {
      throw new CrucibleError('MODEL', `onnxruntime rejected the graph: ${(cause as Error).message}`, { cause });
    }
  }

  /** Runs the graph; returns the requested outputs (all when omitted) by name. */
  async run(feeds: Record<string, SessionTensor>, outputs?: readonly string[]): Promise<Record<string, SessionTensor>> {
    const session = this.session;
    if (session === undefined) throw new CrucibleError('MODEL', 'session is closed');
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.data, [...t.dims]);
    let result: ort.InferenceSession.ReturnType;
    try {
      result = outputs === undefined ? await session.run(ortFeeds) : await session.run(ortFeeds, [...outputs]);
    } catch (cause) {
      throw new CrucibleError('MODEL', `onnxruntime run failed: ${(cause as Error).message}`, { cause });
    }
    const out: Record<string, SessionTensor> = {};
    for (const [name, v] of Object.entries(result)) {
      const tensor = v as ort.Tensor;
      out[name] = { data: tensor.data as SessionTensorData, dims: [...tensor.dims] };
    }
    return out;
  }

  /** Releases native memory; idempotent. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session !== undefined) await session.release();
  }
}
