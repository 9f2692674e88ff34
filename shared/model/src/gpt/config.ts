import { CrucibleError } from '@crucible/core';
import { TOKENIZER_VOCAB_SIZES, type TokenizerName } from '../data/tokenizers.js';

/** Byte-level vocabulary: token = byte value (the tokenizer's BYTE_VOCAB_SIZE), the default. */
export const VOCAB_SIZE = 256;

/** Shape of a GPT: depth, width, heads, context length (tokens) and vocabulary. */
export interface GptConfig {
  readonly nLayer: number;
  readonly nEmbd: number;
  readonly nHead: number;
  readonly blockSize: number;
  /**
   * Token ids are 0..vocabSize−1. Absent means 256 (bytes): byte-level configs never carry the field,
   * so their checkpoints, hashes and run configurations are what they were before it existed.
   */
  readonly vocabSize?: number;
}

/** The vocabulary size of a config (256 when it names none). */
export function vocabSizeOf(config: GptConfig): number {
  return config.vocabSize ?? VOCAB_SIZE;
}

/**
 * tiny trains visibly on 2 CPU cores in minutes; small is the ≈3.26M-parameter benchmark model;
 * base is a larger option for real machines; medium (≈25.5M) is the GPU miners' model. The `-gpt2`
 * presets are the same shapes over GPT-2's vocabulary (their token embedding dominates the parameter count).
 */
export const presets = {
  tiny: { nLayer: 2, nEmbd: 96, nHead: 4, blockSize: 64 },
  small: { nLayer: 4, nEmbd: 256, nHead: 4, blockSize: 128 },
  base: { nLayer: 6, nEmbd: 384, nHead: 6, blockSize: 256 },
  'tiny-gpt2': { nLayer: 2, nEmbd: 96, nHead: 4, blockSize: 64, vocabSize: TOKENIZER_VOCAB_SIZES.gpt2 },
  'small-gpt2': { nLayer: 4, nEmbd: 256, nHead: 4, blockSize: 128, vocabSize: TOKENIZER_VOCAB_SIZES.gpt2 },
  medium: { nLayer: 8, nEmbd: 512, nHead: 8, blockSize: 256 },
} as const satisfies Record<string, GptConfig>;

export type PresetName = keyof typeof presets;

/** The tokenizer each preset's vocabulary belongs to. */
export const presetTokenizers: Readonly<Record<PresetName, TokenizerName>> = {
  tiny: 'bytes',
  small: 'bytes',
  base: 'bytes',
  'tiny-gpt2': 'gpt2',
  'small-gpt2': 'gpt2',
  medium: 'bytes',
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}

/**
 * Throws CrucibleError('CONFIG_INVALID') unless every field is a positive integer, heads divide width
 * and the vocabulary (when given) is an integer in [2, 2^32]. The result names vocabSize only when it
 * is not 256.
 */
export function validateConfig(config: GptConfig): GptConfig {
  for (const key of ['nLayer', 'nEmbd', 'nHead', 'blockSize'] as const) {
    const v = config[key];
    if (!Number.isSafeInteger(v) || v < 1) throw new CrucibleError('CONFIG_INVALID', `model ${key} must be a positive integer, got ${v}`);
  }
  if (config.nEmbd % config.nHead !== 0) {
    throw new CrucibleError('CONFIG_INVALID', `nEmbd (${config.nEmbd}) must be divisible by nHead (${config.nHead})`);
  }
  const v = config.vocabSize;
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 2 || v > 2 ** 32)) {
    throw new CrucibleError('CONFIG_INVALID', `model vocabSize must be an integer in [2, 2^32], got ${v}`);
  }
  const shape = { nLayer: config.nLayer, nEmbd: config.nEmbd, nHead: config.nHead, blockSize: config.blockSize };
  return v === undefined || v === VOCAB_SIZE ? shape : { ...shape, vocabSize: v };
}
