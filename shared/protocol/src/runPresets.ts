import { CrucibleError } from '@crucible/core';
import { defaultCodecConfig } from '@crucible/codec';
import { presets, type PresetName } from '@crucible/model';
import { runConfigSchema, type RunConfig } from './runConfig.js';

/** What a run preset fixes: the model and the settings that must fit it. */
interface RunPreset {
  model: PresetName;
  window: RunConfig['window'];
  inner: RunConfig['inner'];
  evaluation: RunConfig['evaluation'];
  outer: RunConfig['outer'];
}

/**
 * Named run configurations a subnet owner starts from.
 * - `tiny`: the CPU default (the genesis command's defaults): trains on a laptop's cores in minutes.
 * - `medium-gpu`: the ≈25.5M-parameter `medium` model for miners with a GPU (`WindowTrainer` on the
 *   CUDA execution provider: a window's 30 inner steps of 64 × 256 tokens run as one ONNX Loop, see
 *   shared/model's README). Validators evaluate on the CPU with 8 sequences of 256 tokens per batch.
 *   16 pages of 4 KiB per miner give each step's 64 sequences distinct starting points.
 */
export const runPresets = {
  tiny: {
    model: 'tiny',
    window: { blocksPerWindow: 20, pagesPerMiner: 2 },
    inner: { steps: 15, batchSize: 8, learningRate: 3e-3, weightDecay: 0.1, gradClip: 1 },
    evaluation: { sequences: 8, randomPages: 4, oversizeFactor: 5, copyThreshold: 0.95 },
    outer: { learningRate: 0.7, momentum: 0, topG: 5 },
  },
  'medium-gpu': {
    model: 'medium',
    window: { blocksPerWindow: 20, pagesPerMiner: 16 },
    inner: { steps: 30, batchSize: 64, learningRate: 1e-3, weightDecay: 0.1, gradClip: 1 },
    evaluation: { sequences: 8, randomPages: 4, oversizeFactor: 5, copyThreshold: 0.95 },
    outer: { learningRate: 0.7, momentum: 0, topG: 5 },
  },
} as const satisfies Record<string, RunPreset>;

export type RunPresetName = keyof typeof runPresets;

export function isRunPresetName(name: string): name is RunPresetName {
  return Object.hasOwn(runPresets, name);
}

/**
 * A complete, validated run configuration from a preset. The corpus is the caller's (its number of
 * training pages is read from the text itself), as are the netuid and the initialisation seed.
 */
export function runConfigFromPreset(
  name: string,
  o: { netuid: number; initSeed?: number; corpus: { source: string; pageSize: number; valEvery: number; trainPages: number } },
): RunConfig {
  if (!isRunPresetName(name)) throw new CrucibleError('CONFIG_INVALID', `unknown run preset ${name}; choose one of ${Object.keys(runPresets).join(', ')}`);
  const p = runPresets[name];
  return runConfigSchema.parse({
    version: 1,
    netuid: o.netuid,
    model: presets[p.model],
    initSeed: o.initSeed ?? 0,
    corpus: o.corpus,
    window: p.window,
    inner: p.inner,
    codec: defaultCodecConfig,
    evaluation: p.evaluation,
    outer: p.outer,
  });
}
