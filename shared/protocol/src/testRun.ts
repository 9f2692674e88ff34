import type { RunConfig } from './runConfig.js';
import { runConfigSchema } from './runConfig.js';

/** A small, valid run configuration for tests (not exported from the package). */
export function testRunConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  return runConfigSchema.parse({
    version: 1,
    netuid: 1,
    model: { nLayer: 1, nEmbd: 16, nHead: 2, blockSize: 8 },
    initSeed: 7,
    corpus: { source: 'sotu', pageSize: 256, valEvery: 20, trainPages: 100 },
    window: { blocksPerWindow: 5, pagesPerMiner: 2 },
    inner: { steps: 3, batchSize: 2, learningRate: 1e-3, weightDecay: 0.1, gradClip: 1 },
    codec: { tileSize: 8, chunkSize: 64, topK: 4, bits: 2, range: 6, beta: 0.95 },
    evaluation: { sequences: 4, randomPages: 4, oversizeFactor: 3, copyThreshold: 0.9 },
    outer: { learningRate: 0.7, momentum: 0, topG: 3 },
    ...overrides,
  });
}
