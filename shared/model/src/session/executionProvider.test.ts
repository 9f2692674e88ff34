import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CrucibleError, isCrucibleError } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/graph.js';
import { checkExecutionProvider, cudaProvider, executionProviderSchema, onnxruntimeInstall, providerError } from './executionProvider.js';
import { OnnxSession } from './session.js';

function reason(e: unknown): unknown {
  return e instanceof CrucibleError ? e.details?.reason : undefined;
}

function doubler(): Uint8Array {
  const g = new GraphBuilder('float32');
  g.output(g.op('Mul', [g.input('x', [2]), g.scalar(2)], [2]), 'y');
  return g.toBytes();
}

describe('execution providers', () => {
  it('accepts exactly cpu, cuda and webgpu', () => {
    expect(executionProviderSchema.options).toEqual(['cpu', 'cuda', 'webgpu']);
    expect(executionProviderSchema.safeParse('tensorrt').success).toBe(false);
  });

  it('says why CUDA cannot run before any session is made: onnxruntime version, then the provider libraries', () => {
    const { version, binaryDir } = onnxruntimeInstall();
    const installed = Object.keys(cudaProvider.libraries).every((f) => existsSync(join(binaryDir, f)));
    const expected = version !== cudaProvider.onnxruntimeVersion ? 'version-mismatch' : installed ? undefined : 'not-installed';
    let thrown: unknown;
    try {
      checkExecutionProvider('cuda');
    } catch (e) {
      thrown = e;
    }
    if (expected === undefined) expect(thrown).toBeUndefined();
    else {
      expect(isCrucibleError(thrown, 'EXECUTION_PROVIDER')).toBe(true);
      expect(reason(thrown)).toBe(expected);
      if (expected === 'not-installed') expect((thrown as Error).message).toContain(cudaProvider.installCommand);
    }
  });

  it('maps onnxruntime’s loading failures to typed reasons', () => {
    const cuda = providerError('cuda', new Error('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library'));
    expect(cuda.code).toBe('EXECUTION_PROVIDER');
    expect(['libraries-missing', 'no-device']).toContain(reason(cuda));
    const gpu = providerError('webgpu', new Error('Failed to get a WebGPU adapter: No supported adapters'));
    expect(reason(gpu)).toBe('no-adapter');
    expect(gpu.message).toContain('Vulkan');
    expect(reason(providerError('cuda', new Error('CUDA failure 100: no CUDA-capable device is detected')))).toBe('no-device');
  });

  it('creates a WebGPU session where an adapter exists and otherwise fails with reason no-adapter', async () => {
    let session: OnnxSession | undefined;
    try {
      session = await OnnxSession.create(doubler(), { executionProvider: 'webgpu' });
      const out = await session.run({ x: { data: Float32Array.of(1, 2), dims: [2] } });
      expect(Array.from(out.y!.data as Float32Array)).toEqual([2, 4]);
    } catch (e) {
      expect(isCrucibleError(e, 'EXECUTION_PROVIDER')).toBe(true);
      expect(reason(e)).toBe('no-adapter');
    } finally {
      await session?.close();
    }
  });

  it('keeps outputs on the device only for WebGPU', async () => {
    await expect(OnnxSession.create(doubler(), { deviceOutputs: ['y'] })).rejects.toSatisfy((e) => isCrucibleError(e, 'CONFIG_INVALID'));
  });
});
