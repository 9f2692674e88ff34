export { validatorConfigSchema } from './config.js';
export type { ValidatorConfig } from './config.js';
