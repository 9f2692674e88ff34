import type { GptConfig } from '../gpt/config.js';
import type { GptParams } from '../gpt/params.js';
import type { Corpus } from '../data/index.js';
import { cosineSchedule, type AdamWOptions } from '../optim/index.js';
import { Trainer, type TrainStepInfo } from './trainer.js';

export interface TrainOnCorpusOptions {
  config: GptConfig;
  params: GptParams;
  corpus: Corpus;
  steps: number;
  batch: number;
  threads?: number;
  maxLr?: number;
  warmupSteps?: number;
  adamw?: AdamWOptions;
  /** Seed of the training batches: step s uses sampleBatch seed `${seed}/step/${s}`. */
  seed?: string;
  /** Validation batches evaluated at the end (fixed seeds `crucible-validation/${i}`). Default 4. */
  valBatches?: number;
  onStep?: (info: TrainStepInfo & { step: number; tokensPerSecond: number }) => void;
  /** Stops after the current step when aborted; the result then reports fewer stepsDone. */
  signal?: AbortSignal;
}

export interface TrainOnCorpusResult {
  /** Mean validation loss before the first and after the last step (nats per byte). */
  valLossBefore: number;
  valLossAfter: number;
  lastTrainLoss: number;
  /** Steps actually taken (less than `steps` when the signal aborted the loop). */
  stepsDone: number;
}

/** Single-machine training for a fixed number of steps on all training pages of a corpus. */
export async function trainOnCorpus(options: TrainOnCorpusOptions): Promise<TrainOnCorpusResult> {
  const { config, corpus, batch, steps } = options;
  const T = config.blockSize;
  const seed = options.seed ?? 'crucible-train';
  const pages = Array.from({ length: corpus.trainPageCount }, (_, i) => i);
  const schedule = cosineSchedule({ maxLr: options.maxLr ?? 3e-3, warmupSteps: Math.min(options.warmupSteps ?? 20, steps), totalSteps: steps });
  const val = Array.from({ length: options.valBatches ?? 4 }, (_, i) => {
    const b = corpus.validationBatch(batch, T, `crucible-validation/${i}`);
    return { tokens: b.inputs, targets: b.targets };
  });
  const trainer = await Trainer.create({ config, params: options.params, batch, threads: options.threads ?? 1, adamw: options.adamw ?? {} });
  try {
    const valLossBefore = await trainer.evaluate(val);
    let lastTrainLoss = NaN;
    let stepsDone = 0;
    for (let s = 0; s < steps && options.signal?.aborted !== true; s++) {
      const b = corpus.trainBatch(pages, batch, T, `${seed}/step/${s}`);
      const started = performance.now();
      const info = await trainer.step({ tokens: b.inputs, targets: b.targets }, schedule(s));
      const seconds = (performance.now() - started) / 1000;
      lastTrainLoss = info.loss;
      stepsDone = s + 1;
      options.onStep?.({ ...info, step: s + 1, tokensPerSecond: (batch * T) / seconds });
    }
    return { valLossBefore, valLossAfter: await trainer.evaluate(val), lastTrainLoss, stepsDone };
  } finally {
    await trainer.close();
  }
}
