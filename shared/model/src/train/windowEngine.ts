import type { FlatTensors } from '../gpt/flatLayout.js';
import { SEGMENTS } from '../gpt/flatLayout.js';
import type { SessionTensor } from '../session/session.js';
import { STATE_FAMILIES, type StateFamily } from './windowGraph.js';

/** One run of up to maxSteps inner steps, as the host hands it to an engine. */
export interface WindowRunInput {
  /** The state the run starts from. */
  state: Record<StateFamily, FlatTensors>;
  /** Buffers the final state is written into (never the same arrays as `state`). */
  next: Record<StateFamily, FlatTensors>;
  /** maxSteps × (accumulate · batch · blockSize) token ids; the first `steps` rows are used. */
  tokens: BigInt64Array;
  targets: BigInt64Array;
  steps: number;
  /** Per step (maxSteps): learning rate; per applied step: 1 − β1ᵗ and 1/sqrt(1 − β2ᵗ) (see buildWindowGraph). */
  lr: Float64Array;
  bias1: Float64Array;
  invSqrtBias2: Float64Array;
}

export interface WindowRunOutput {
  losses: number[];
  gradNorms: number[];
  applied: boolean[];
  appliedCount: number;
}

/** How a WindowTrainer's steps run: one Loop session (CPU, CUDA) or resident step sessions (WebGPU). */
export interface WindowEngine {
  run(input: WindowRunInput): Promise<WindowRunOutput>;
  close(): Promise<void>;
}

/** The six flat state tensors as session tensors, keyed by `name(family, segment)`. */
export function stateTensors(
  state: Record<StateFamily, FlatTensors>,
  name: (f: StateFamily, s: (typeof SEGMENTS)[number]) => string,
  width: number,
): Record<string, SessionTensor> {
  const out: Record<string, SessionTensor> = {};
  for (const f of STATE_FAMILIES) for (const s of SEGMENTS) out[name(f, s)] = { data: state[f][s], dims: [state[f][s].length / width, width] };
  return out;
}
