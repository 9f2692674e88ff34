import { describe, expect, it } from 'vitest';
import * as validator from './index.js';

describe('the public API of @crucible/validator', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(validator).sort()).toMatchInlineSnapshot(`
      [
        "aggregateWindow",
        "applyRetention",
        "createGenesis",
        "evaluationJobId",
        "evaluationQueueName",
        "finalScore",
        "genesisConfigSchema",
        "genesisRunConfig",
        "pickContributors",
        "publishGenesis",
        "replayConfigSchema",
        "replayWindow",
        "sameScores",
        "startEvaluationWorkers",
        "startValidator",
        "updateRatings",
        "validatorConfigSchema",
        "weightsFromScores",
      ]
    `);
  });
});
