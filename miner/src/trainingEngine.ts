import { blake2b256, CrucibleError, toHex, type Logger } from '@crucible/core';
import { createErrorFeedback, type ErrorFeedback } from '@crucible/codec';
import {
  AdamW,
  decodeAdamWState,
  encodeAdamWStateParts,
  checkExecutionProvider,
  paramTable,
  presets,
  WindowTrainer,
  type AdamWState,
  type ExecutionProvider,
  type WindowTrainerOptions,
} from '@crucible/model';
import { runDataKey } from '@crucible/data';
import type { RunConfig } from '@crucible/protocol';
import { decodeErrorFeedback, errorFeedbackParts } from './errorFeedbackFile.js';
import type { FileContent, StateStore } from './stateStore.js';
import { TrainingData } from './trainingData.js';

export interface TrainingEngineOptions {
  threads: number;
  resetOptimizer: boolean;
  /** Bound on the dataset page cache under the state folder. */
  dataCacheBytes: number;
  /** Where the inner steps run (default cpu). */
  executionProvider?: ExecutionProvider;
}

/**
 * The miner's training resources for one run configuration: its text (TrainingData: the run's dataset,
 * pages fetched on demand into a bounded disk cache, or the shipped corpus), one WindowTrainer (a
 * window's inner steps, clipping and AdamW as one ONNX Loop on the CPU or CUDA provider, resident step
 * sessions on WebGPU), and the error-feedback buffers. AdamW moments carry over from window to window
 * (as DiLoCo/Templar keep the inner optimizer; parameters are reset to each window's base) unless
 * `resetOptimizer`; both are saved in the state folder with every update and restored on start.
 *
 * The WindowTrainer runs on every provider: on the CPU it is as fast as the step-by-step Trainer with
 * the host AdamW (tiny preset, batch 8, 15 steps, 1–2 threads: 326–445 ms against 351–449 ms a window
 * here, within run-to-run noise) and bit-identical to it (float64 optimizer arithmetic), so CPU and GPU
 * miners share one code path.
 */
export class TrainingEngine {
  private key: string | undefined;
  // The data source: the run's dataset (pages fetched on demand into a bounded disk cache) or corpus.
  private dataValue: { key: string; data: TrainingData } | undefined;
  private trainerValue: WindowTrainer | undefined;
  private efValue: ErrorFeedback | undefined;
  /** The other error-feedback buffer set: a window's update is encoded into it, then adopted (stageErrorFeedback). */
  private efSpare: ErrorFeedback | undefined;
  private freshOptimizer: AdamWState | undefined;

  constructor(
    private readonly state: StateStore,
    private readonly options: TrainingEngineOptions,
    private readonly logger: Logger,
  ) {}

  get executionProvider(): ExecutionProvider {
    return this.options.executionProvider ?? 'cpu';
  }

  /** The run's training text: `windowPages(pages)` / `batches(pages, seeds, B, T)` / `prefetch(pages)`. */
  get data(): TrainingData {
    return this.dataValue!.data;
  }

  /** The data source once a run has been prepared (for prefetching beside a window), else undefined. */
  get dataIfOpen(): TrainingData | undefined {
    return this.dataValue?.data;
  }

  get trainer(): WindowTrainer {
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
    const trainer = await WindowTrainer.create(this.trainerOptions(run));
    this.freshOptimizer = new AdamW(table).exportState();
    await warmUp(trainer);
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
    this.efSpare = createErrorFeedback(table);
    this.key = key;
  }

  private trainerOptions(run: RunConfig): WindowTrainerOptions {
    const ep = this.executionProvider;
    return {
      config: run.model,
      batch: run.inner.batchSize,
      maxSteps: run.inner.steps,
      executionProvider: ep,
      threads: this.options.threads,
      adamw: { weightDecay: run.inner.weightDecay, maxGradNorm: run.inner.gradClip },
      // WebGPU has no float64 kernels; elsewhere float64 repeats the host AdamW bit for bit.
      precision: ep === 'webgpu' ? 'float32' : 'float64',
    };
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

  /**
   * Fails fast (CrucibleError('EXECUTION_PROVIDER') with details.reason) when the provider cannot run
   * here: the on-disk checks, then, for a GPU provider, a session of the tiny model's window graph,
   * which loads the provider libraries and finds the device or adapter.
   */
  static async checkProvider(ep: ExecutionProvider = 'cpu'): Promise<void> {
    checkExecutionProvider(ep);
    if (ep === 'cpu') return;
    const probe = await WindowTrainer.create({ config: presets.tiny, batch: 1, maxSteps: 1, executionProvider: ep, precision: ep === 'webgpu' ? 'float32' : 'float64' });
    await probe.close();
  }

  /**
   * Starts writing the AdamW moments as they are after this window's training (views of the trainer's
   * buffers, which the next window's first run only reads) to a fresh file; resolves to its name (null
   * with resetOptimizer: nothing is kept). See StateStore.writeAhead.
   */
  writeOptimizerAhead(): Promise<string | null> {
    if (this.options.resetOptimizer) return Promise.resolve(null);
    const name = this.state.fileName('adamw', 'safetensors');
    return this.state.writeAhead(name, encodeAdamWStateParts(this.trainer.optimizer)).then(() => name);
  }

  /**
   * A copy of the current error feedback in the spare buffers, for encoding a window's update while its
   * seed is not yet confirmed: adoptErrorFeedback(staged) makes it current once the update is committed;
   * dropping it leaves the current error feedback as if the window had not been encoded.
   */
  stageErrorFeedback(): ErrorFeedback {
    const spare = this.efSpare!;
    for (const [name, b] of this.errorFeedback.buffers) spare.buffers.get(name)!.set(b);
    return spare;
  }

  /** Makes a staged error feedback (stageErrorFeedback) the current one; the old buffers become the spare set. */
  adoptErrorFeedback(staged: ErrorFeedback): void {
    if (staged !== this.efSpare) throw new CrucibleError('INTERNAL', 'adoptErrorFeedback takes the buffers stageErrorFeedback returned');
    this.efSpare = this.efValue;
    this.efValue = staged;
  }

  /** Starts writing an error feedback (views of its buffers: change them only once the commit naming it is done). */
  writeErrorFeedbackAhead(ef: ErrorFeedback): Promise<string> {
    const name = this.state.fileName('error-feedback', 'safetensors');
    return this.state.writeAhead(name, errorFeedbackParts(ef)).then(() => name);
  }

  /** The error feedback alone as a file to commit (views of the live buffers). */
  errorFeedbackSnapshot(): { files: Record<string, FileContent>; errorFeedback: string } {
    const errorFeedback = this.state.fileName('error-feedback', 'safetensors');
    return { files: { [errorFeedback]: errorFeedbackParts(this.errorFeedback) }, errorFeedback };
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

/**
 * One step on zeros, then a fresh optimizer: a GPU provider's first run pays for kernel loading and
 * memory arenas (seconds), which would otherwise land in the first window and in its step estimate.
 */
async function warmUp(trainer: WindowTrainer): Promise<void> {
  if (trainer.executionProvider === 'cpu') return;
  const zeros = new Array<number>(trainer.stepTokens).fill(0);
  await trainer.run([{ tokens: zeros, targets: zeros }], [0]);
  trainer.optimizer.reset();
}
