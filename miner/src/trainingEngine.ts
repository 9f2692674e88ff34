import { blake2b256, CrucibleError, toHex, type Logger } from '@crucible/core';
import { createErrorFeedback, type ErrorFeedback } from '@crucible/codec';
import {
  AdamW,
  decodeAdamWState,
  encodeAdamWStateParts,
  paramTable,
  Trainer,
  type AdamWState,
  type GptParams,
} from '@crucible/model';
import { runDataKey } from '@crucible/data';
import type { RunConfig } from '@crucible/protocol';
import { decodeErrorFeedback, errorFeedbackParts } from './errorFeedbackFile.js';
import type { FileContent, StateStore } from './stateStore.js';
import { TrainingData } from './trainingData.js';

/**
 * The miner's training resources for one run configuration: its text (TrainingData), one onnxruntime session with
 * AdamW (the Trainer), and the error-feedback buffers. AdamW moments carry over from window to window
 * (as DiLoCo/Templar keep the inner optimizer; parameters are reset to each window's base) unless
 * `resetOptimizer`; both are saved in the state folder with every update and restored on start.
 */
export class TrainingEngine {
  private key: string | undefined;
  // The data source: the run's dataset (pages fetched on demand into a bounded disk cache) or corpus.
  private dataValue: { key: string; data: TrainingData } | undefined;
  private trainerValue: Trainer | undefined;
  private efValue: ErrorFeedback | undefined;
  private freshOptimizer: AdamWState | undefined;

  constructor(
    private readonly state: StateStore,
    private readonly options: { threads: number; resetOptimizer: boolean; dataCacheBytes: number },
    private readonly logger: Logger,
  ) {}

  /** The run's training text: `windowPages(pages)` / `batches(pages, seeds, B, T)` / `prefetch(pages)`. */
  get data(): TrainingData {
    return this.dataValue!.data;
  }

  /** The data source once a run has been prepared (for prefetching beside a window), else undefined. */
  get dataIfOpen(): TrainingData | undefined {
    return this.dataValue?.data;
  }

  get trainer(): Trainer {
    return this.trainerValue!;
  }

  get errorFeedback(): ErrorFeedback {
    return this.efValue!;
  }

  /**
   * blake2b-256 of the saved error-feedback file (null when there is none yet), for logs and tests.
   * Read back from the state folder when asked (at start), not hashed on every save.
   */
  async savedErrorFeedbackHash(): Promise<string | null> {
    const file = this.state.state.errorFeedback;
    return file ? toHex(blake2b256(await this.state.read(file))) : null;
  }

  /** Opens the run's text, builds the session and restores saved state for `run` (once per run configuration). */
  async prepare(run: RunConfig): Promise<void> {
    const key = JSON.stringify([run.model, run.inner, run.corpus, run.dataset ?? null]);
    if (key === this.key) return;
    await this.closeTrainer();
    await this.prepareData(run);
    const table = paramTable(run.model);
    const params: GptParams = new Map(table.map((p) => [p.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]));
    const trainer = await Trainer.create({
      config: run.model,
      params,
      batch: run.inner.batchSize,
      threads: this.options.threads,
      adamw: { weightDecay: run.inner.weightDecay, maxGradNorm: run.inner.gradClip },
      withEval: false,
    });
    this.freshOptimizer = new AdamW(table).exportState();
    const saved = this.state.state;
    if (saved.optimizer && !this.options.resetOptimizer) {
      try {
        trainer.optimizer.importState(decodeAdamWState(await this.state.read(saved.optimizer)));
      } catch (error) {
        this.logger.warn('saved optimizer state does not fit this model; starting fresh', { reason: (error as Error).message });
      }
    }
    let ef = createErrorFeedback(table);
    if (saved.errorFeedback) {
      try {
        ef = decodeErrorFeedback(await this.state.read(saved.errorFeedback), table);
      } catch (error) {
        this.logger.warn('saved error feedback does not fit this model; starting from zero', { reason: (error as Error).message });
      }
    }
    this.trainerValue = trainer;
    this.efValue = ef;
    this.key = key;
  }

  /** Called before each window's inner loop. */
  beginWindow(): void {
    if (this.options.resetOptimizer && this.freshOptimizer) this.trainer.optimizer.importState(this.freshOptimizer);
  }

  /**
   * Files to commit with the next state change: the current error feedback and optimizer moments. The
   * contents are views of the live buffers, not copies (3 MB a window for the tiny model), so commit
   * them (await the commit) before the next sparseLoCoStep, restoreUnsent or training step.
   */
  snapshot(): { files: Record<string, FileContent>; errorFeedback: string; optimizer: string | null } {
    const files: Record<string, FileContent> = {};
    const errorFeedback = this.state.fileName('error-feedback', 'safetensors');
    files[errorFeedback] = errorFeedbackParts(this.errorFeedback);
    let optimizer: string | null = null;
    if (!this.options.resetOptimizer) {
      optimizer = this.state.fileName('adamw', 'safetensors');
      files[optimizer] = encodeAdamWStateParts(this.trainer.optimizer);
    }
    return { files, errorFeedback, optimizer };
  }

  async close(): Promise<void> {
    await this.closeTrainer();
    const data = this.dataValue;
    this.dataValue = undefined;
    await data?.data.close();
  }

  private async closeTrainer(): Promise<void> {
    const trainer = this.trainerValue;
    this.trainerValue = undefined;
    this.key = undefined;
    await trainer?.close();
  }

  /** The data source for `run`: kept while the run's text is the same (only the trainer is rebuilt otherwise). */
  private async prepareData(run: RunConfig): Promise<void> {
    const key = runDataKey(run);
    if (this.dataValue?.key === key) return;
    await this.dataValue?.data.close();
    this.dataValue = undefined;
    const data = await TrainingData.open(run, { stateDir: this.state.dir, cacheBytes: this.options.dataCacheBytes, logger: this.logger });
    this.dataValue = { key, data };
  }
}
