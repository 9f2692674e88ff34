export { GptSession } from './gptSession.js';
export type { GptSessionOptions, GraphKind, TokenBatch, TrainStepResult } from './gptSession.js';
export { OnnxSession } from './session.js';
export type { SessionOptions, SessionTensor, SessionTensorData } from './session.js';
