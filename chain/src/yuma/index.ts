export { topK, topKNonzero, weightedMedianColumns } from './consensus.js';
export { maxUpscaleToU16, proportionToU16, U16_MAX, weightsToU16, withinMaxWeightLimit } from './quantize.js';
export type { SparseMatrix, SparseRow } from './sparse.js';
export { defaultYumaParams, yumaEpoch } from './yumaEpoch.js';
export type { YumaInputs, YumaOutputs, YumaParams, YumaStorage } from './yumaEpoch.js';
