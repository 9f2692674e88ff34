import { isCrucibleError } from '@crucible/core';
import { paramCount, presets } from '@crucible/model';
import { describe, expect, it } from 'vitest';
import { runConfigFromPreset, runPresets } from './runPresets.js';

const corpus = { source: 'sotu', pageSize: 4096, valEvery: 20, trainPages: 1500 };

describe('run configuration presets', () => {
  it('medium-gpu trains the ≈25.5M-parameter medium model (8 layers, width 512, 8 heads, context 256)', () => {
    const run = runConfigFromPreset('medium-gpu', { netuid: 3, corpus });
    expect(run.model).toEqual({ nLayer: 8, nEmbd: 512, nHead: 8, blockSize: 256 });
    expect(paramCount(run.model)).toBe(25_482_240);
    expect(run.inner).toMatchObject({ steps: 30, batchSize: 64 });
    expect(run.netuid).toBe(3);
  });

  it('tiny is the genesis command’s CPU default', () => {
    const run = runConfigFromPreset('tiny', { netuid: 1, corpus });
    expect(run.model).toEqual(presets.tiny);
    expect(run.inner).toEqual({ steps: 15, batchSize: 8, learningRate: 3e-3, weightDecay: 0.1, gradClip: 1 });
    expect(run.window).toEqual({ blocksPerWindow: 20, pagesPerMiner: 2 });
  });

  it('every preset names a model preset and passes the run configuration schema', () => {
    for (const name of Object.keys(runPresets)) expect(() => runConfigFromPreset(name, { netuid: 1, corpus })).not.toThrow();
    expect(() => runConfigFromPreset('huge', { netuid: 1, corpus })).toThrow(expect.toSatisfy((e) => isCrucibleError(e, 'CONFIG_INVALID')));
  });
});
