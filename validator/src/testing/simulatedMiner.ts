/**
 * Miners simulated in tests and benchmarks: real updates made with the model and codec APIs, honest
 * or not. Not exported from the package.
 */
import type { Keypair } from '@crucible/core';
import { createErrorFeedback, encodeGradient, sparseLoCoStep, type ErrorFeedback } from '@crucible/codec';
import { AdamW, createPrng, GptSession, paramTable, type Corpus, type GptParams } from '@crucible/model';
import { assignPages, sealUpdate, trainingBatchSeed, type RunConfig } from '@crucible/protocol';
import { sealedUpdateKey, sealKeyKey, type ObjectStore } from '@crucible/storage';

export interface MinerBase {
  params: GptParams;
  paramsHash: string;
}

export class UpdateFactory {
  private constructor(
    readonly run: RunConfig,
    readonly corpus: Corpus,
    private readonly session: GptSession,
  ) {}

  static async create(run: RunConfig, corpus: Corpus): Promise<UpdateFactory> {
    const session = await GptSession.create({ config: run.model, batch: run.inner.batchSize, threads: 1, graphs: ['train'] });
    return new UpdateFactory(run, corpus, session);
  }

  /** Pseudo-gradient θ_start − θ_end of `steps` AdamW steps on `pages` (default: the assigned ones). */
  async train(base: MinerBase, o: { windowSeed: string; window: number; hotkey: string; pages?: number[]; steps?: number; lr?: number }): Promise<Map<string, Float32Array>> {
    const run = this.run;
    const pages = o.pages ?? assignPages(o.windowSeed, o.window, o.hotkey, run.window.pagesPerMiner, run.corpus.trainPages);
    const table = paramTable(run.model);
    const params: GptParams = new Map([...base.params].map(([k, v]) => [k, v.slice()]));
    const arrays = table.map((s) => params.get(s.name)!);
    const optimizer = new AdamW(table, { weightDecay: run.inner.weightDecay, maxGradNorm: run.inner.gradClip });
    const steps = o.steps ?? run.inner.steps;
    for (let step = 0; step < steps; step++) {
      const batch = this.corpus.trainBatch(pages, run.inner.batchSize, run.model.blockSize, trainingBatchSeed(o.windowSeed, o.window, o.hotkey, step));
      const { grads } = await this.session.trainStep(params, { tokens: batch.inputs, targets: batch.targets });
      optimizer.update(arrays, grads, o.lr ?? run.inner.learningRate);
    }
    const delta = new Map<string, Float32Array>();
    for (const s of table) {
      const a = base.params.get(s.name)!;
      const b = params.get(s.name)!;
      const d = new Float32Array(a.length);
      for (let i = 0; i < d.length; i++) d[i] = a[i]! - b[i]!;
      delta.set(s.name, d);
    }
    return delta;
  }

  /** Gaussian noise with the given standard deviation, shaped like the parameters. */
  noise(seed: string, std: number): Map<string, Float32Array> {
    const prng = createPrng(seed);
    const out = new Map<string, Float32Array>();
    for (const s of paramTable(this.run.model)) {
      const d = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
      prng.fillNormal(d, std);
      out.set(s.name, d);
    }
    return out;
  }

  encode(delta: Map<string, Float32Array>, o: { window: number; base: MinerBase; signer: Keypair; feedback?: ErrorFeedback; scale?: number }): Uint8Array {
    const feedback = o.feedback ?? createErrorFeedback(paramTable(this.run.model));
    const scaled = o.scale === undefined ? delta : new Map([...delta].map(([k, v]) => [k, v.map((x) => x * o.scale!)]));
    const tensors = sparseLoCoStep(feedback, scaled, this.run.codec);
    return encodeGradient({ window: o.window, baseCheckpoint: o.base.paramsHash, config: this.run.codec, tensors, signer: o.signer });
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

/**
 * Uploads a signed update the way a miner must: sealed before the deadline; returns the reveal, which
 * puts the key once the caller has seen the deadline block.
 */
export async function uploadSealed(store: ObjectStore, window: number, hotkey: string, update: Uint8Array): Promise<() => Promise<void>> {
  const { sealed, key } = sealUpdate(update);
  await store.put(sealedUpdateKey(window, hotkey), sealed);
  return async () => {
    await store.put(sealKeyKey(window, hotkey), key);
  };
}
