import type { GptConfig } from '../gpt/config.js';
import { OnnxSession, type SessionOptions } from '../session/session.js';
import type { WindowEngine, WindowRunInput, WindowRunOutput } from './windowEngine.js';
import { stateTensors } from './windowEngine.js';
import { buildWindowGraph, windowNames, type WindowGraphOptions } from './windowGraph.js';

/**
 * A window's steps as one session.run of the Loop graph (buildWindowGraph): the state goes up once and
 * comes back once, straight into the host's other buffer set (preallocated outputs, no allocation).
 */
export class LoopEngine implements WindowEngine {
  private constructor(
    private readonly session: OnnxSession,
    private readonly dims: number[],
    /** Row length of the state matrices (flatLayout: nEmbd). */
    private readonly width: number,
  ) {}

  static async create(config: GptConfig, graph: WindowGraphOptions, session: SessionOptions): Promise<LoopEngine> {
    const A = graph.accumulate ?? 1;
    const dims = A === 1 ? [graph.maxSteps, graph.batch, config.blockSize] : [graph.maxSteps, A, graph.batch, config.blockSize];
    return new LoopEngine(await OnnxSession.create(buildWindowGraph(config, graph), session), dims, config.nEmbd);
  }

  async run(input: WindowRunInput): Promise<WindowRunOutput> {
    const feeds = {
      ...stateTensors(input.state, windowNames.state, this.width),
      [windowNames.tokens]: { data: input.tokens, dims: this.dims },
      [windowNames.targets]: { data: input.targets, dims: this.dims },
      [windowNames.steps]: { data: BigInt64Array.of(BigInt(input.steps)), dims: [] },
      [windowNames.lr]: { data: input.lr, dims: [input.lr.length] },
      [windowNames.bias1]: { data: input.bias1, dims: [input.bias1.length] },
      [windowNames.invSqrtBias2]: { data: input.invSqrtBias2, dims: [input.invSqrtBias2.length] },
    };
    const out = await this.session.run(feeds, undefined, stateTensors(input.next, windowNames.out, this.width));
    return {
      losses: Array.from(out[windowNames.losses]!.data as Float32Array),
      gradNorms: Array.from(out[windowNames.gradNorms]!.data as Float64Array),
      applied: Array.from(out[windowNames.applied]!.data as Uint8Array, (x) => x !== 0),
      appliedCount: Number((out[windowNames.appliedCount]!.data as BigInt64Array)[0]!),
    };
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
