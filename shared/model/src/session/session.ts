import { CrucibleError } from '@crucible/core';
import * as ort from 'onnxruntime-node';
import { checkExecutionProvider, providerError, type ExecutionProvider } from './executionProvider.js';

/** A tensor handed to or returned from a session: data in row-major order and its shape. */
export type SessionTensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;
export interface SessionTensor {
  readonly data: SessionTensorData;
  readonly dims: readonly number[];
}

export interface SessionOptions {
  /** onnxruntime intra-op threads. Results are bit-reproducible for a fixed thread count. Default 1. */
  threads?: number;
  /** Graph optimisation level. Default 'all'. */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * onnxruntime's CPU memory arena, which keeps freed buffers for the next kernel and the next run.
   * Without it every run maps fresh pages for its intermediates (measured on the small model's train
   * graph: ~55k page faults and ~120 ms of kernel time per step). Default true.
   */
  memArena?: boolean;
  /**
   * Let idle intra-op threads spin between kernels. Faster on an otherwise idle machine; on a shared,
   * busy machine spinning threads steal the cores the work needs (measured here: ~25% more CPU per
   * step). Default false.
   */
  spinWait?: boolean;
  /** Where the graph runs (see executionProvider.ts). Default 'cpu'. */
  executionProvider?: ExecutionProvider;
  /** Which GPU, for `cuda`. Default 0. */
  deviceId?: number;
  /**
   * onnxruntime's deterministic compute. Default: on for the CPU provider (validators replay verdicts
   * bit for bit), off for GPUs, where it costs 1.9–3.4× of GPU time on Crucible's graphs (ORT's CUDA
   * reductions drop their fast path) and bit-reproducibility is not promised anyway.
   */
  deterministic?: boolean;
  /**
   * Outputs left in GPU memory (WebGPU only: onnxruntime-node keeps tensors on the device for WebGPU,
   * not for CUDA). They come back as DeviceTensors, which later runs take as inputs without a copy.
   */
  deviceOutputs?: readonly string[];
}

/**
 * A tensor living in GPU memory (a WebGPU buffer), returned for SessionOptions.deviceOutputs and
 * accepted as an input by any session on the same provider. dispose() frees it; read it back through
 * a session whose output is on the CPU (reading a gpu-buffer tensor directly aborted the process with
 * a software Vulkan driver).
 */
export class DeviceTensor {
  readonly dims: readonly number[];
  /** @internal */
  readonly tensor: ort.Tensor;
  private disposed = false;

  /** @internal */
  constructor(tensor: ort.Tensor) {
    this.tensor = tensor;
    this.dims = [...tensor.dims];
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tensor.dispose();
  }
}

/**
 * The one place that imports onnxruntime-node. Sessions run sequentially; on the CPU provider with
 * deterministic compute, so the same inputs give bit-identical outputs on a machine for a fixed
 * thread count.
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
    const ep = options.executionProvider ?? 'cpu';
    checkExecutionProvider(ep);
    const deterministic = options.deterministic ?? ep === 'cpu';
    const deviceOutputs = options.deviceOutputs ?? [];
    if (deviceOutputs.length > 0 && ep !== 'webgpu') {
      throw new CrucibleError('CONFIG_INVALID', `outputs can stay on the device only with the webgpu execution provider, not ${ep}`);
    }
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: [ep === 'cuda' ? { name: 'cuda', deviceId: options.deviceId ?? 0 } : ep],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: options.optimization ?? 'all',
        logSeverityLevel: 3,
        enableCpuMemArena: options.memArena ?? true,
        // The memory pattern plans one block for all intermediates of a run; inside the arena that block
        // stays reserved on top of what the arena reuses (small model: 657 MB peak RSS instead of 436).
        enableMemPattern: false,
        extra: { session: { use_deterministic_compute: deterministic ? '1' : '0', 'intra_op.allow_spinning': options.spinWait === true ? '1' : '0' } },
        ...(deviceOutputs.length > 0 ? { preferredOutputLocation: Object.fromEntries(deviceOutputs.map((n) => [n, 'gpu-buffer' as const])) } : {}),
      });
      return new OnnxSession(session);
    } catch (cause) {
      if (ep !== 'cpu' && !isGraphError(cause)) throw providerError(ep, cause);
      throw new CrucibleError('MODEL', `onnxruntime rejected the graph: ${(cause as Error).message}`, { cause });
    }
  }

  /**
   * Runs the graph and returns its outputs by name. `outputs` restricts which are computed; `into` gives
   * preallocated tensors that onnxruntime writes in place (their data is then the returned data), which
   * avoids allocating large outputs such as gradients on every call.
   */
  async run(
    feeds: Record<string, SessionTensor | DeviceTensor>,
    outputs?: readonly string[],
    into?: Record<string, SessionTensor>,
  ): Promise<Record<string, SessionTensor>> {
    const out = await this.runMixed(feeds, outputs, into);
    for (const [name, v] of Object.entries(out)) {
      if (v instanceof DeviceTensor) throw new CrucibleError('INTERNAL', `output ${name} is on the device: use runMixed`);
    }
    return out as Record<string, SessionTensor>;
  }

  /** run() for sessions with deviceOutputs: those outputs come back as DeviceTensors. */
  async runMixed(
    feeds: Record<string, SessionTensor | DeviceTensor>,
    outputs?: readonly string[],
    into?: Record<string, SessionTensor>,
  ): Promise<Record<string, SessionTensor | DeviceTensor>> {
    const session = this.session;
    if (session === undefined) throw new CrucibleError('MODEL', 'session is closed');
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = t instanceof DeviceTensor ? t.tensor : new ort.Tensor(t.data, [...t.dims]);
    const fetches: Record<string, ort.Tensor | null> = {};
    for (const name of outputs ?? this.outputNames) {
      const t = into?.[name];
      fetches[name] = t === undefined ? null : new ort.Tensor(t.data, [...t.dims]);
    }
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await session.run(ortFeeds, fetches);
    } catch (cause) {
      throw new CrucibleError('MODEL', `onnxruntime run failed: ${(cause as Error).message}`, { cause });
    }
    const out: Record<string, SessionTensor | DeviceTensor> = {};
    for (const [name, v] of Object.entries(result)) {
      const given = into?.[name];
      const tensor = v as ort.Tensor;
      out[name] = given ?? (tensor.location === 'gpu-buffer' ? new DeviceTensor(tensor) : { data: tensor.data as SessionTensorData, dims: [...tensor.dims] });
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

/** onnxruntime's messages about the model itself (not about loading a provider). */
function isGraphError(cause: unknown): boolean {
  return /Load model|INVALID_GRAPH|INVALID_ARGUMENT|NOT_IMPLEMENTED|Type Error|ShapeInferenceError|Node \(/.test(String((cause as Error)?.message ?? cause));
}
