export { GptSession } from './gptSession.js';
export type { GptSessionOptions, GraphKind, TokenBatch, TrainStepResult } from './gptSession.js';
export { DeviceTensor, OnnxSession } from './session.js';
export { checkExecutionProvider, cudaProvider, executionProviders, executionProviderSchema, missingCudaLibraries, onnxruntimeInstall, providerError } from './executionProvider.js';
export type { ExecutionProvider, ProviderFailure } from './executionProvider.js';
export type { SessionOptions, SessionTensor, SessionTensorData } from './session.js';
