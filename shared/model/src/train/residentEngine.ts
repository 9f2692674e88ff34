import type { GptConfig } from '../gpt/config.js';
import { flatLayout, SEGMENTS } from '../gpt/flatLayout.js';
import { graphNames } from '../gpt/graphs.js';
import type { AdamWOptions } from '../optim/adamw.js';
import { DeviceTensor, OnnxSession, type SessionOptions, type SessionTensor } from '../session/session.js';
import { buildFlatAdamWGraph, buildFlatTrainGraph, buildStateCopyGraph, residentNames } from './residentGraphs.js';
import type { WindowEngine, WindowRunInput, WindowRunOutput } from './windowEngine.js';
import { stateTensors } from './windowEngine.js';
import { STATE_FAMILIES, windowNames } from './windowGraph.js';

/**
 * The WebGPU route: onnxruntime-node keeps outputs in GPU memory for WebGPU (not for CUDA) but the
 * WebGPU provider has no Loop kernel, so a run uploads the state once, runs a train session and an
 * AdamW session per step on tensors that never leave the GPU, and downloads the state once. Only the
 * step's tokens go up and its loss, gradient norm and guard come down between steps.
 */
export class ResidentEngine implements WindowEngine {
  private constructor(
    private readonly width: number,
    private readonly batchTokens: number,
    private readonly dims: number[],
    private readonly upload: OnnxSession,
    private readonly train: OnnxSession,
    private readonly adam: OnnxSession,
    private readonly download: OnnxSession,
  ) {}

  static async create(config: GptConfig, o: { batch: number; adamw: Required<AdamWOptions> }, session: SessionOptions): Promise<ResidentEngine> {
    const layout = flatLayout(config);
    const outs = STATE_FAMILIES.flatMap((f) => SEGMENTS.map((s) => windowNames.out(f, s)));
    const created: OnnxSession[] = [];
    const make = async (bytes: Uint8Array, extra: SessionOptions) => {
      const s = await OnnxSession.create(bytes, { ...session, ...extra });
      created.push(s);
      return s;
    };
    try {
      // The copy graphs are plain Identity nodes: optimisation would fold them away.
      const copy = buildStateCopyGraph(layout);
      const upload = await make(copy, { optimization: 'disabled', deviceOutputs: outs });
      const train = await make(buildFlatTrainGraph(config, layout, o.batch), { deviceOutputs: SEGMENTS.map((s) => residentNames.grad(s)) });
      const adam = await make(buildFlatAdamWGraph(layout, o.adamw), { deviceOutputs: outs });
      const download = await make(copy, { optimization: 'disabled' });
      return new ResidentEngine(config.nEmbd, o.batch * config.blockSize, [o.batch, config.blockSize], upload, train, adam, download);
    } catch (err) {
      for (const s of created) await s.close();
      throw err;
    }
  }

  async run(input: WindowRunInput): Promise<WindowRunOutput> {
    const up = await this.upload.runMixed(stateTensors(input.state, windowNames.state, this.width));
    let state = renameOuts(up);
    const losses: number[] = [];
    const gradNorms: number[] = [];
    const applied: boolean[] = [];
    let count = 0;
    const n = this.batchTokens;
    try {
      for (let k = 0; k < input.steps; k++) {
        const t = await this.train.runMixed({
          [windowNames.state('params', 'decay')]: state[windowNames.state('params', 'decay')]!,
          [windowNames.state('params', 'nodecay')]: state[windowNames.state('params', 'nodecay')]!,
          [graphNames.tokens]: { data: input.tokens.slice(k * n, (k + 1) * n), dims: this.dims },
          [graphNames.targets]: { data: input.targets.slice(k * n, (k + 1) * n), dims: this.dims },
        });
        const scalar = (x: number): SessionTensor => ({ data: Float32Array.of(x), dims: [] });
        const a = await this.adam.runMixed({
          ...state,
          [residentNames.grad('decay')]: t[residentNames.grad('decay')]!,
          [residentNames.grad('nodecay')]: t[residentNames.grad('nodecay')]!,
          [windowNames.lr]: scalar(input.lr[k]!),
          [windowNames.bias1]: scalar(input.bias1[count]!),
          [windowNames.invSqrtBias2]: scalar(input.invSqrtBias2[count]!),
        });
        for (const s of SEGMENTS) (t[residentNames.grad(s)] as DeviceTensor).dispose();
        disposeAll(state);
        state = renameOuts(a);
        const ok = ((a[residentNames.applied] as SessionTensor).data as Uint8Array)[0] !== 0;
        losses.push(((t[graphNames.loss] as SessionTensor).data as Float32Array)[0]!);
        gradNorms.push(((a[residentNames.gradNorm] as SessionTensor).data as Float32Array)[0]!);
        applied.push(ok);
        if (ok) count++;
      }
      await this.download.run(state, undefined, stateTensors(input.next, windowNames.out, this.width));
    } finally {
      disposeAll(state);
    }
    return { losses, gradNorms, applied, appliedCount: count };
  }

  async close(): Promise<void> {
    for (const s of [this.upload, this.train, this.adam, this.download]) await s.close();
  }
}

/** A session's `out.<family>.<segment>` device outputs under the input names the next session takes. */
function renameOuts(out: Record<string, SessionTensor | DeviceTensor>): Record<string, DeviceTensor> {
  const state: Record<string, DeviceTensor> = {};
  for (const f of STATE_FAMILIES) for (const s of SEGMENTS) state[windowNames.state(f, s)] = out[windowNames.out(f, s)] as DeviceTensor;
  return state;
}

function disposeAll(state: Record<string, DeviceTensor>): void {
  for (const t of Object.values(state)) t.dispose();
}
