export { canonicalCheckpointEncoding, checkpointHash } from './checkpointHash.js';
export { checkpointMetadata, CONFIG_METADATA_KEY, configFromMetadata } from './checkpointMetadata.js';
export { dtypeBytes, halfToFloat, readableDtypes } from './dtype.js';
export type { ReadableDtype, SafetensorsDtype } from './dtype.js';
export { compareNames, decodeSafetensors, encodeSafetensors, encodeSafetensorsParts } from './safetensors.js';
export type { DecodedSafetensors, DecodedTensor, DecodeOptions, TensorF32, TensorInput } from './safetensors.js';
export { readSafetensorsFile, writeSafetensorsFile } from './safetensorsFile.js';
