import type { PrngSeed } from './prng.js';
import type { Batch } from './sampleBatch.js';

/**
 * What training and evaluation need from their text: the split's sizes and the batches drawn from
 * pages. `Corpus` (all pages in memory, synchronous) and `@crucible/data`'s `DatasetReader` (pages
 * fetched on demand, asynchronous) both satisfy it and draw identical batches from identical text, so
 * code written against it (`await source.trainBatch(…)`) runs on either.
 */
export interface BatchSource {
  readonly trainPageCount: number;
  readonly valPageCount: number;
  /** sampleBatch over the given training pages (indices as assignPages returns them). */
  trainBatch(pageIndices: readonly number[], batchSize: number, seqLen: number, seed: PrngSeed): Batch | Promise<Batch>;
  /** sampleBatch over all validation pages, seed "crucible-validation" by default. */
  validationBatch(batchSize: number, seqLen: number, seed?: PrngSeed): Batch | Promise<Batch>;
}
