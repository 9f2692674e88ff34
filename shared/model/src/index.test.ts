import { describe, expect, it } from 'vitest';
import * as data from './data/index.js';
import * as model from './index.js';
import * as optim from './optim/index.js';
import * as safetensors from './safetensors/index.js';

describe('public API of @crucible/model', () => {
  it('re-exports the data, optimizer and safetensors modules whole', () => {
    for (const mod of [data, optim, safetensors]) {
      for (const name of Object.keys(mod)) expect(model, name).toHaveProperty(name);
    }
  });

  it('adds exactly these model, graph, session and training names', () => {
    const theirs = new Set([data, optim, safetensors].flatMap((m) => Object.keys(m)));
    expect(Object.keys(model).filter((k) => !theirs.has(k)).sort()).toEqual([
      'DeviceTensor',
      'FlatOptimizerState',
      'GptSession',
      'GraphBuilder',
      'INIT_STD',
      'OPSET',
      'OnnxSession',
      'Tape',
      'Trainer',
      'VOCAB_SIZE',
      'WindowTrainer',
      'bitsPerByte',
      'buildEvalGraph',
      'buildLogitsGraph',
      'buildTrainGraph',
      'buildWindowGraph',
      'checkExecutionProvider',
      'checkParams',
      'cudaProvider',
      'decodeCheckpoint',
      'encodeCheckpoint',
      'evaluateTokens',
      'executionProviderSchema',
      'executionProviders',
      'flatLayout',
      'flatViews',
      'flattenParams',
      'graphNames',
      'hashCheckpoint',
      'initParams',
      'initSeed',
      'isPresetName',
      'missingCudaLibraries',
      'numel',
      'onnxruntimeInstall',
      'paramCount',
      'paramTable',
      'pick',
      'presetTokenizers',
      'presets',
      'readCheckpoint',
      'referenceForward',
      'sampleTokens',
      'trainOnCorpus',
      'unflattenParams',
      'validateConfig',
      'vocabSizeOf',
      'windowNames',
      'writeCheckpoint',
    ]);
  });
});
