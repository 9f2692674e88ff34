import type { PresetName } from '@crucible/model';
import type { RunConfigOptions } from './runDefaults.js';

/**
 * Named starting points for a subnet owner, as overrides of runDefaults (run/runDefaults.ts):
 *   tiny        the defaults: the tiny model, trains on a laptop's cores in minutes
 *   medium-gpu  the ≈25.5M-parameter `medium` model for miners with a GPU (WindowTrainer on the CUDA
 *               execution provider: a window's 30 inner steps of 64 × 256 tokens run as one ONNX Loop,
 *               see shared/model's README); 16 pages of 4 KiB per miner give each step's 64 sequences
 *               distinct starting points; validators evaluate on the CPU.
 */
export const runPresets = {
  tiny: { model: 'tiny', overrides: {} },
  'medium-gpu': {
    model: 'medium',
    overrides: { window: { pagesPerMiner: 16 }, inner: { steps: 30, batchSize: 64, learningRate: 1e-3 } },
  },
} as const satisfies Record<string, { model: PresetName; overrides: RunConfigOptions['overrides'] }>;

export type RunPresetName = keyof typeof runPresets;

export function isRunPresetName(name: string): name is RunPresetName {
  return Object.hasOwn(runPresets, name);
}
