import { expect, it } from 'vitest';
import * as protocol from './index.js';

// The rulebook's public surface: every rule other packages compute alike. A change here is visible.
it('exposes exactly this public API', () => {
  expect(Object.keys(protocol).sort()).toMatchInlineSnapshot(`
    [
      "BASE_LAG_WINDOWS",
      "CheckpointFollower",
      "MANIFEST_VERSION",
      "MAX_MANIFEST_BYTES",
      "MIN_KEEP_CHECKPOINTS",
      "acceptedBases",
      "aggregatorElectionWindow",
      "applyUpdate",
      "assignPages",
      "baseWindowLimit",
      "checkpointParamsToDelete",
      "checkpointSignerPolicy",
      "checkpointSources",
      "clipScale",
      "decodeManifest",
      "decodeUpdate",
      "electAggregator",
      "encodeManifest",
      "evaluationSample",
      "evaluationSeed",
      "fetchManifest",
      "fetchParams",
      "getManifest",
      "isForgery",
      "listCheckpointWindows",
      "manifestSchema",
      "medianNorm",
      "outerStep",
      "pickBaseWindow",
      "publishCheckpoint",
      "runConfigFor",
      "runConfigSchema",
      "runDefaults",
      "sameRun",
      "seedDomains",
      "trainingBatchSeed",
      "windowBlocks",
      "windowPlan",
      "windowSeed",
      "withArchive",
    ]
  `);
});
