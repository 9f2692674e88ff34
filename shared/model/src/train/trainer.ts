import type { GptConfig } from '../gpt/config.js';
import { checkParams, paramTable, type GptParams } from '../gpt/params.js';
import { AdamW, type AdamWOptions, type AdamWStepResult } from '../optim/index.js';
import type { ExecutionProvider } from '../session/executionProvider.js';
import { GptSession, type TokenBatch } from '../session/gptSession.js';

export interface TrainerOptions {
  config: GptConfig;
  /** Parameters, updated in place by every step. */
  params: GptParams;
  /** Sequences per step. */
  batch: number;
  /** onnxruntime intra-op threads. Default 1. */
  threads?: number;
  adamw?: AdamWOptions;
  /** Also build the eval graph (for evaluate()). Default true. */
  withEval?: boolean;
  /** See GptSessionOptions.spinWait. Default false. */
  spinWait?: boolean;
  /** Where the graphs run; AdamW stays on the host. Default 'cpu'. See WindowTrainer for GPUs. */
  executionProvider?: ExecutionProvider;
}

export interface TrainStepInfo extends AdamWStepResult {
  /** Mean training loss of the batch before the update (nats). */
  loss: number;
  lr: number;
}

/**
 * Inner-loop training: onnxruntime computes loss and gradients, AdamW (float64 arithmetic over the
 * Float32Arrays) updates the parameters in place.
 */
export class Trainer {
  readonly config: GptConfig;
  readonly params: GptParams;
  readonly optimizer: AdamW;
  readonly session: GptSession;
  private readonly paramArrays: Float32Array[];

  private constructor(config: GptConfig, params: GptParams, session: GptSession, optimizer: AdamW) {
    this.config = config;
    this.params = params;
    this.session = session;
    this.optimizer = optimizer;
    this.paramArrays = checkParams(config, params).map((p) => p.data);
  }

  static async create(options: TrainerOptions): Promise<Trainer> {
    checkParams(options.config, options.params);
    const session = await GptSession.create({
      config: options.config,
      batch: options.batch,
      threads: options.threads ?? 1,
      graphs: options.withEval === false ? ['train'] : ['train', 'eval'],
      spinWait: options.spinWait ?? false,
      executionProvider: options.executionProvider ?? 'cpu',
    });
    const optimizer = new AdamW(paramTable(options.config), options.adamw ?? {});
    return new Trainer(options.config, options.params, session, optimizer);
  }

  /** One forward+backward pass and one AdamW update at learning rate `lr`. */
  async step(batch: TokenBatch, lr: number): Promise<TrainStepInfo> {
    const { loss, grads } = await this.session.trainStep(this.params, batch);
    const result = this.optimizer.update(this.paramArrays, grads, lr);
    return { ...result, loss, lr };
  }

  /** Mean loss (nats) over the given batches, each batch × blockSize tokens. */
  async evaluate(batches: readonly TokenBatch[]): Promise<number> {
    let sum = 0;
    let count = 0;
    for (const b of batches) {
      const seq = await this.session.sequenceLoss(this.params, b);
      for (const v of seq) sum += v;
      count += seq.length;
    }
    return sum / count;
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
