import { describe, expect, it } from 'vitest';
import { paramCount, presets } from '@crucible/model';
import { runConfigFor, runDefaults } from './runDefaults.js';
import { isRunPresetName, runPresets } from './runPresets.js';

describe('run configuration presets', () => {
  const of = (name: keyof typeof runPresets) => runConfigFor({ netuid: 3, trainPages: 1500, model: runPresets[name].model, overrides: runPresets[name].overrides });

  it('medium-gpu trains the ≈25.5M-parameter medium model (8 layers, width 512, 8 heads, context 256)', () => {
    const run = of('medium-gpu');
    expect(run.model).toEqual({ nLayer: 8, nEmbd: 512, nHead: 8, blockSize: 256 });
    expect(paramCount(run.model)).toBe(25_482_240);
    expect(run.inner).toMatchObject({ steps: 30, batchSize: 64 });
    expect(run.window.pagesPerMiner).toBe(16);
  });

  it('tiny is the defaults', () => {
    const run = of('tiny');
    expect(run.model).toEqual(presets.tiny);
    expect(run.inner).toEqual(runDefaults.inner);
    expect(run.window).toEqual(runDefaults.window);
  });

  it('names only its presets', () => {
    expect(isRunPresetName('medium-gpu')).toBe(true);
    expect(isRunPresetName('huge')).toBe(false);
  });
});
