import { describe, expect, it } from 'vitest';
import { configFields, loadConfig } from '@crucible/core';
import { minerConfigSchema } from './config.js';

describe('the miner configuration', () => {
  it('describes every option and gives it a default', () => {
    for (const field of configFields(minerConfigSchema, 'CRUCIBLE')) {
      expect(field.description, field.flag).not.toBe('');
      expect(field.hasDefault || field.optional, field.flag).toBe(true);
    }
  });

  it("keeps Bittensor's flag names", () => {
    const flags = configFields(minerConfigSchema, 'CRUCIBLE').map((f) => `--${f.flag}`);
    for (const flag of ['--wallet.name', '--wallet.hotkey', '--wallet.path', '--netuid', '--chain.endpoint', '--register']) expect(flags).toContain(flag);
  });

  it('reads nested storage credentials from flags and environment', () => {
    const { config } = loadConfig(minerConfigSchema, {
      argv: ['--storage.bucket', 'my-updates', '--storage.read.access-key-id', 'reader', '--register'],
      env: { CRUCIBLE_STORAGE_WRITE_SECRET_ACCESS_KEY: 'hidden' },
      envPrefix: 'CRUCIBLE',
    });
    expect(config.storage.bucket).toBe('my-updates');
    expect(config.storage.read.accessKeyId).toBe('reader');
    expect(config.storage.write.secretAccessKey).toBe('hidden');
    expect(config.register).toBe(true);
  });

  it('trains on the CPU unless told otherwise, and takes cuda or webgpu, nothing else', () => {
    const load = (argv: string[]) => loadConfig(minerConfigSchema, { argv, env: {}, envPrefix: 'CRUCIBLE' }).config;
    expect(load([]).train.executionProvider).toBe('cpu');
    expect(load(['--train.execution-provider', 'cuda']).train.executionProvider).toBe('cuda');
    expect(load(['--train.execution-provider', 'webgpu']).train.executionProvider).toBe('webgpu');
    expect(() => load(['--train.execution-provider', 'rocm'])).toThrow(/execution-provider|executionProvider/);
  });
});
