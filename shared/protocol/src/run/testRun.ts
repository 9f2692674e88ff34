import { runConfigFor, type RunConfigOptions } from './runDefaults.js';
import type { RunConfig } from './runConfig.js';

/** A small, valid run configuration for this package's unit tests (not exported from the package). */
export function testRunConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const base = runConfigFor({
    netuid: 1,
    trainPages: 100,
    model: { nLayer: 1, nEmbd: 16, nHead: 2, blockSize: 8 },
    initSeed: 7,
    overrides: {
      corpus: { pageSize: 256 },
      window: { blocksPerWindow: 5 },
      inner: { steps: 3, batchSize: 2, learningRate: 1e-3 },
      codec: { tileSize: 8, chunkSize: 64, topK: 4 },
      evaluation: { sequences: 4, copyThreshold: 0.9 },
      outer: { topG: 3 },
    } satisfies RunConfigOptions['overrides'],
  });
  return { ...base, ...overrides };
}
