export { minerConfigSchema } from './config.js';
export type { MinerConfig } from './config.js';
