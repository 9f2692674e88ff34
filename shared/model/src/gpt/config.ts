import { CrucibleError } from '@crucible/core';

/** Byte-level vocabulary: token = byte value (the tokenizer's BYTE_VOCAB_SIZE). */
export const VOCAB_SIZE = 256;

/** Shape of a GPT: depth, width, heads and context length (tokens). */
export interface GptConfig {
  readonly nLayer: number;
  readonly nEmbd: number;
  readonly nHead: number;
  readonly blockSize: number;
}

/**
 * tiny trains visibly on 2 CPU cores in minutes; small is the ≈3.26M-parameter benchmark model;
 * base is a larger option for real machines; medium (≈25.5M) is the GPU miners' model.
 */
export const presets = {
  tiny: { nLayer: 2, nEmbd: 96, nHead: 4, blockSize: 64 },
  small: { nLayer: 4, nEmbd: 256, nHead: 4, blockSize: 128 },
  base: { nLayer: 6, nEmbd: 384, nHead: 6, blockSize: 256 },
  medium: { nLayer: 8, nEmbd: 512, nHead: 8, blockSize: 256 },
} as const satisfies Record<string, GptConfig>;

export type PresetName = keyof typeof presets;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}

/** Throws CrucibleError('CONFIG_INVALID') unless every field is a positive integer and heads divide width. */
export function validateConfig(config: GptConfig): GptConfig {
  for (const key of ['nLayer', 'nEmbd', 'nHead', 'blockSize'] as const) {
    const v = config[key];
    if (!Number.isSafeInteger(v) || v < 1) throw new CrucibleError('CONFIG_INVALID', `model ${key} must be a positive integer, got ${v}`);
  }
  if (config.nEmbd % config.nHead !== 0) {
    throw new CrucibleError('CONFIG_INVALID', `nEmbd (${config.nEmbd}) must be divisible by nHead (${config.nHead})`);
  }
  return { nLayer: config.nLayer, nEmbd: config.nEmbd, nHead: config.nHead, blockSize: config.blockSize };
}
