// @crucible/validator — the public API. Names are listed explicitly.
export { genesisConfigSchema, replayConfigSchema, validatorConfigSchema } from './config.js';
export type { GenesisConfig, StorageOptions, ValidatorConfig, ValidatorConfigInput } from './config.js';
export { startValidator } from './startValidator.js';
export type { StartValidatorOptions, ValidatorHandle, WindowReport } from './startValidator.js';
export { replayWindow, sameScores } from './replayWindow.js';
export type { ReplayResult } from './replayWindow.js';
export { createGenesis, genesisRunConfig, publishGenesis } from './aggregate/genesis.js';
export type { GenesisRunOptions } from './aggregate/genesis.js';
export { aggregateWindow, applyRetention, pickContributors } from './aggregate/aggregateWindow.js';
export { startEvaluationWorkers } from './queue/evaluationQueue.js';
export type { EvaluationWorkers } from './queue/evaluationQueue.js';
export { evaluationJobId, evaluationQueueName } from './queue/queueKeys.js';
export { finalScore, updateRatings } from './ratings/minerRatings.js';
export type { MinerRecord } from './ratings/minerRatings.js';
export { weightsFromScores } from './ratings/weights.js';
