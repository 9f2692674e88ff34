export { AdamW, adamWDefaults, decaysWeight, globalGradNorm } from './adamw.js';
export type { AdamWOptions, AdamWState, AdamWStepResult, AdamWParam } from './adamw.js';
export { cosineSchedule } from './lrSchedule.js';
export type { CosineScheduleOptions, LrSchedule } from './lrSchedule.js';
export { ADAMW_STATE_KIND, decodeAdamWState, encodeAdamWState, encodeAdamWStateParts } from './adamWStateFile.js';
export type { AdamWStateSource } from './adamWStateFile.js';
export { emitAdamW } from './adamwGraph.js';
export type { AdamWGraphInputs, AdamWGraphOutputs, AdamWSegmentInputs, OptimizerPrecision } from './adamwGraph.js';
