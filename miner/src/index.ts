export { minerConfigSchema } from './config.js';
export type { MinerConfig, MinerConfigInput } from './config.js';
export { startMiner } from './startMiner.js';
export type { MinerHandle, StartMinerOptions } from './startMiner.js';
export type { WindowOutcome, WindowReport } from './mineWindow.js';
export { minerStateSchema } from './stateStore.js';
export type { MinerState } from './stateStore.js';
