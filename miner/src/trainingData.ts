import { join } from 'node:path';
import { CrucibleError, describeError, type Logger } from '@crucible/core';
import { openRunData, type PrefetchReport, type RunData } from '@crucible/data';
import { sampleBatch, type Batch, type TokenArray } from '@crucible/model';
import type { RunConfig } from '@crucible/protocol';

/**
 * The pages of one window, held in memory (pagesPerMiner pages, whatever the dataset's size), drawing
 * batches synchronously: `trainBatch(pages, B, T, seed)` is exactly Corpus.trainBatch over the same text,
 * so validators redraw the same batches.
 */
export interface WindowPages {
  readonly pages: readonly number[];
  trainBatch(pageIndices: readonly number[], batchSize: number, seqLen: number, seed: Uint8Array): Batch;
}

export interface TrainingDataOptions {
  /** The miner's state folder: dataset pages are cached under <stateDir>/datasets. */
  stateDir: string;
  /** Disk bound of the page cache (bytes). */
  cacheBytes: number;
  /** Time one page read may take, retries included (ms). Default: the reader's (120 s). */
  deadlineMs?: number;
  logger: Logger;
}

/**
 * The miner's source of training text for one run configuration: the dataset the run pins (only the
 * pages assigned to this miner are fetched — one verified ranged GET each — and kept in a bounded disk
 * cache) or the shipped corpus. Fetching a window's pages happens before training (`windowPages`, or
 * `batches` for a trainer that takes a window's batches at once); `prefetch` brings a coming window's
 * pages in beforehand. A page that cannot be read is an error (retried by the reader until its deadline),
 * never replaced by other text.
 */
export class TrainingData {
  private constructor(
    readonly source: RunData,
    private readonly logger: Logger,
  ) {}

  static async open(run: RunConfig, o: TrainingDataOptions): Promise<TrainingData> {
    const source = await openRunData(run, { cacheRoot: join(o.stateDir, 'datasets'), cacheBytes: o.cacheBytes, logger: o.logger, ...(o.deadlineMs !== undefined ? { deadlineMs: o.deadlineMs } : {}) });
    o.logger.info('training data', { source: source.description, trainPages: source.trainPageCount });
    return new TrainingData(source, o.logger);
  }

  /** The window's assigned pages, fetched and verified, ready for synchronous batches. */
  async windowPages(pages: readonly number[]): Promise<WindowPages> {
    const held = await this.source.trainPages(pages);
    const byIndex = new Map<number, TokenArray>(pages.map((p, k) => [p, held[k]!]));
    return {
      pages: [...pages],
      trainBatch(pageIndices, batchSize, seqLen, seed) {
        const chosen = pageIndices.map((p) => {
          const page = byIndex.get(p);
          if (page === undefined) throw new CrucibleError('INTERNAL', `page ${p} is not one of this window's pages (${[...byIndex.keys()].join(', ')})`);
          return page;
        });
        return sampleBatch(chosen, { batchSize, seqLen, seed });
      },
    };
  }

  /**
   * Every inner step's batch of a window at once (for a trainer that runs the window in one call):
   * batch i = trainBatch(pages, batchSize, seqLen, seeds[i]).
   */
  async batches(pages: readonly number[], seeds: readonly Uint8Array[], batchSize: number, seqLen: number): Promise<Batch[]> {
    const window = await this.windowPages(pages);
    return seeds.map((seed) => window.trainBatch(pages, batchSize, seqLen, seed));
  }

  /** Brings a coming window's pages into the disk cache; never rejects (failures are logged and read again later). */
  async prefetch(pages: readonly number[], window?: number): Promise<PrefetchReport> {
    const report = await this.source.prefetch(pages);
    if (report.failed.length > 0) {
      this.logger.warn('prefetching pages failed; they are read again when the window trains', { window, failed: report.failed.map((f) => ({ page: f.page, error: describeError(f.error) })) });
    }
    return report;
  }

  async close(): Promise<void> {
    await this.source.close();
  }
}
