export { AdamW, adamWDefaults, decaysWeight, globalGradNorm } from './adamw.js';
export type { AdamWOptions, AdamWState, AdamWStepResult, ParamSpec } from './adamw.js';
export { cosineSchedule } from './lrSchedule.js';
export type { CosineScheduleOptions, LrSchedule } from './lrSchedule.js';
