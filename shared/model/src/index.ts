// @crucible/model — the public API. Names are listed explicitly; index.test.ts pins the list.

// Model definition
export { isPresetName, presets, presetTokenizers, validateConfig, VOCAB_SIZE, vocabSizeOf } from './gpt/config.js';
export type { GptConfig, PresetName } from './gpt/config.js';
export { checkParams, flattenParams, numel, paramCount, paramTable, unflattenParams } from './gpt/params.js';
export type { GptParams, ParamSpec } from './gpt/params.js';
export { INIT_STD, initParams, initSeed } from './gpt/init.js';
export { referenceForward } from './gpt/reference.js';
export type { ReferenceResult } from './gpt/reference.js';
export { decodeCheckpoint, encodeCheckpoint, hashCheckpoint, readCheckpoint, writeCheckpoint } from './gpt/checkpoint.js';
export { flatLayout, flatViews } from './gpt/flatLayout.js';
export type { FlatLayout, FlatSlot, FlatTensors, Segment } from './gpt/flatLayout.js';
export type { Checkpoint } from './gpt/checkpoint.js';

// ONNX graphs (train / eval / logits) and their builder
export { buildEvalGraph, buildLogitsGraph, buildTrainGraph, graphNames } from './gpt/graphs.js';
export type { GraphOptions } from './gpt/graphs.js';
export { GraphBuilder, OPSET } from './onnx/graph.js';
export type { ElemType, FloatType, Value } from './onnx/graph.js';
export { Tape } from './onnx/autodiff.js';
export type { BackwardFn } from './onnx/autodiff.js';

// Running the graphs, on the CPU or a GPU
export {
  checkExecutionProvider,
  cudaProvider,
  DeviceTensor,
  executionProviders,
  executionProviderSchema,
  GptSession,
  missingCudaLibraries,
  OnnxSession,
  onnxruntimeInstall,
} from './session/index.js';
export type {
  ExecutionProvider,
  GptSessionOptions,
  GraphKind,
  ProviderFailure,
  SessionOptions,
  SessionTensor,
  SessionTensorData,
  TokenBatch,
  TrainStepResult,
} from './session/index.js';

// Training, evaluation, sampling
export { Trainer } from './train/trainer.js';
export type { TrainerOptions, TrainStepInfo } from './train/trainer.js';
export { WindowTrainer } from './train/windowTrainer.js';
export type { WindowRunResult, WindowTrainerOptions } from './train/windowTrainer.js';
export { FlatOptimizerState } from './train/flatOptimizerState.js';
export { buildWindowGraph, windowNames } from './train/windowGraph.js';
export type { WindowGraphOptions } from './train/windowGraph.js';
export { trainOnCorpus } from './train/trainOnCorpus.js';
export type { TrainOnCorpusOptions, TrainOnCorpusResult } from './train/trainOnCorpus.js';
export { evaluateTokens } from './train/evaluateTokens.js';
export type { TokenEvaluation } from './train/evaluateTokens.js';
export { pick, sampleTokens } from './train/sample.js';
export type { SampleOptions } from './train/sample.js';
export { bitsPerByte } from './train/bits.js';

// The data, optimizer and safetensors modules keep their own explicit export lists; they are re-exported
// whole (a name defined above, such as ParamSpec, takes precedence). index.test.ts pins the union.
export * from './data/index.js';
export * from './optim/index.js';
export * from './safetensors/index.js';
