import { isCrucibleError } from '@crucible/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { GptConfig } from '../gpt/config.js';
import { initParams } from '../gpt/init.js';
import { GraphBuilder } from '../onnx/graph.js';
import { OnnxSession } from '../session/session.js';
import { WindowTrainer } from './windowTrainer.js';

// The WebGPU route needs an adapter: a GPU, or on a CPU machine Mesa's lavapipe (see the README's
// "WebGPU without a GPU"). Without one the comparison is skipped and says so.
async function webgpuAvailable(): Promise<boolean> {
  const g = new GraphBuilder('float32');
  g.output(g.op('Neg', [g.input('x', [1])], [1]), 'y');
  try {
    await (await OnnxSession.create(g.toBytes(), { executionProvider: 'webgpu' })).close();
    return true;
  } catch (e) {
    if (isCrucibleError(e, 'EXECUTION_PROVIDER')) return false;
    throw e;
  }
}
const available = await webgpuAvailable();

const config: GptConfig = { nLayer: 2, nEmbd: 32, nHead: 4, blockSize: 16 };
const B = 3;
const init = initParams(config, 1);
const batches = [0, 1, 2].map((k) => ({
  tokens: Array.from({ length: B * 16 }, (_, i) => (i * 7 + k * 13) % 256),
  targets: Array.from({ length: B * 16 }, (_, i) => (i * 11 + k * 5 + 3) % 256),
}));
const lrs = [1e-3, 2e-3, 3e-3];
const closing: WindowTrainer[] = [];
afterAll(async () => {
  for (const c of closing) await c.close();
});

describe('WindowTrainer on WebGPU (state resident on the GPU between step sessions)', () => {
  it.skipIf(!available)('trains like the CPU Loop to float32 rounding, across runs', async () => {
    const cpu = await WindowTrainer.create({ config, batch: B, maxSteps: 3 });
    const gpu = await WindowTrainer.create({ config, batch: B, maxSteps: 3, executionProvider: 'webgpu' });
    closing.push(cpu, gpu);
    cpu.setParams(init);
    gpu.setParams(init);
    for (let run = 0; run < 2; run++) {
      const a = await cpu.run(batches, lrs);
      const b = await gpu.run(batches, lrs);
      b.losses.forEach((l, k) => expect(Math.abs(l - a.losses[k]!) / a.losses[k]!).toBeLessThan(1e-5));
      b.gradNorms.forEach((n, k) => expect(Math.abs(n - a.gradNorms[k]!) / a.gradNorms[k]!).toBeLessThan(1e-5));
      expect(b.step).toBe(a.step);
    }
    let num = 0;
    let den = 0;
    for (const [name, p] of cpu.params) {
      const q = gpu.params.get(name)!;
      const p0 = init.get(name)!;
      for (let i = 0; i < p.length; i++) {
        num += (p[i]! - q[i]!) ** 2;
        den += (p[i]! - p0[i]!) ** 2;
      }
    }
    expect(Math.sqrt(num / den)).toBeLessThan(1e-3);
  });

  it('refuses what WebGPU cannot do: float64 optimizer arithmetic and gradient accumulation', async () => {
    await expect(WindowTrainer.create({ config, batch: B, maxSteps: 2, executionProvider: 'webgpu', precision: 'float64' })).rejects.toSatisfy((e) =>
      isCrucibleError(e, 'CONFIG_INVALID'),
    );
    await expect(WindowTrainer.create({ config, batch: B, maxSteps: 2, executionProvider: 'webgpu', accumulate: 2 })).rejects.toSatisfy((e) =>
      isCrucibleError(e, 'CONFIG_INVALID'),
    );
  });
});
