export { codecConfigSchema, defaultCodecConfig, parseCodecConfig } from './config.js';
export type { CodecConfig, CodecConfigInput } from './config.js';
export { chunkLayout, numelOf } from './layout.js';
export type { ChunkLayout } from './layout.js';
export { quantize } from './quantize.js';
export type { Quantized } from './quantize.js';
export { compressTensor, decodeTensor, decompressTensor, toDense } from './compress.js';
export type { CompressedTensor, SparseTensor } from './compress.js';
export { createErrorFeedback, sparseLoCoStep } from './errorFeedback.js';
export type { ErrorFeedback, ParamSpec } from './errorFeedback.js';
export { averageSparse } from './aggregate.js';
export { wireErrorReasons } from './wireError.js';
export type { WireErrorReason } from './wireError.js';
export {
  decodeSignedEnvelope,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_MAX_HEADER_BYTES,
  ENVELOPE_MAGIC,
  encodeSignedEnvelope,
  envelopeKinds,
} from './envelope.js';
export type { DecodeEnvelopeOptions, EnvelopeKind, SignedEnvelope, SignedEnvelopeInput } from './envelope.js';
export { decodeGradient, encodeGradient, GRADIENT_FORMAT_VERSION, gradientHeaderSchema, maxGradientBytes } from './gradientWire.js';
export type { DecodedGradient, DecodeGradientOptions, EncodeGradientInput, GradientHeader } from './gradientWire.js';
