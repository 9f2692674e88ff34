export { topK, weightedMedianColumns } from './consensus.js';
export { maxUpscaleToU16, proportionToU16, U16_MAX, weightsToU16, withinMaxWeightLimit } from './quantize.js';
export {
  ALPHA_PER_BLOCK,
  blocksUntilNextEpoch,
  DEFAULT_SUBNET_OWNER_CUT,
  isEpochBlock,
  splitBlockEmission,
} from './schedule.js';
export type { BlockEmissionSplit } from './schedule.js';
export type { SparseMatrix, SparseRow } from './sparse.js';
export { defaultYumaParams, yumaEpoch } from './yumaEpoch.js';
export type { YumaInputs, YumaOutputs, YumaParams, YumaStorage } from './yumaEpoch.js';
