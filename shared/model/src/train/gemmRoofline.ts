import type { GptConfig } from '../gpt/config.js';
import { vocabSizeOf } from '../gpt/config.js';
import { GraphBuilder } from '../onnx/graph.js';
import { OnnxSession } from '../session/session.js';

/**
 * Floating-point operations of the matrix products in one training step (forward, then the backward's
 * two products per forward product), counting a multiply-add as 2. This is the work any framework must
 * do for the model, whatever it fuses: the four projections of every block, the tied output head and the
 * two attention products over the full T×T score matrix (as the PyTorch baseline computes them). Our
 * extra one-hot product for the embedding gradient is not counted.
 */
export function trainMatmulFlops(config: GptConfig, batch: number): number {
  const { nLayer: L, nEmbd: C, blockSize: T } = config;
  const tokens = batch * T;
  const projections = 2 * tokens * (12 * C * C * L + vocabSizeOf(config) * C);
  const attention = 4 * batch * T * T * C * L;
  return 3 * (projections + attention);
}

/**
 * onnxruntime's sustained fp32 Gemm rate on this machine, in FLOP/s, with the given threads, measured on
 * the products of a training step: `blocks` chained MLP blocks of the model's width, each with its
 * forward (tokens×C·C×4C, tokens×4C·4C×C) and backward products (input and weight gradients, with the
 * transposes a backward pass uses), so per-run overhead is amortised. With trainMatmulFlops it bounds
 * the training throughput any graph on this runtime can reach.
 */
export async function measureGemmRate(o: { tokens: number; width: number; threads: number; spinWait?: boolean; runs?: number; blocks?: number }): Promise<number> {
  const [n, c] = [o.tokens, o.width];
  const f = 4 * c;
  const blocks = o.blocks ?? 4;
  const g = new GraphBuilder('float32');
  const w1 = g.input('w1', [c, f]);
  const w2 = g.input('w2', [f, c]);
  const dOut = g.input('d_out', [n, c]);
  let x = g.input('x', [n, c]);
  for (let i = 0; i < blocks; i++) {
    const h = g.op('Gemm', [x, w1], [n, f]);
    const out = g.op('Gemm', [h, w2], [n, c]);
    const dh = g.op('Gemm', [dOut, w2], [n, f], { transB: 1 });
    g.output(g.op('Gemm', [h, dOut], [f, c], { transA: 1 }), `dw2.${i}`);
    g.output(g.op('Gemm', [x, dh], [c, f], { transA: 1 }), `dw1.${i}`);
    // The next block's input depends on this block's forward and input gradient, so nothing is skipped.
    x = g.op('Add', [out, g.op('Gemm', [dh, w1], [n, c], { transB: 1 })], [n, c]);
  }
  g.output(x, 'y');
  const session = await OnnxSession.create(g.toBytes('gemm-rate'), { threads: o.threads, spinWait: o.spinWait ?? false });
  try {
    // Small values keep the chain finite (no denormals or infinities, which would change the speed).
    const fill = (len: number, scale: number) => Float32Array.from({ length: len }, (_, i) => (((i * 2654435761) % 1000) / 1000 - 0.5) * scale);
    const feeds = {
      x: { data: fill(n * c, 1), dims: [n, c] },
      d_out: { data: fill(n * c, 1), dims: [n, c] },
      w1: { data: fill(c * f, 1 / c), dims: [c, f] },
      w2: { data: fill(f * c, 1 / f), dims: [f, c] },
    };
    for (let i = 0; i < 2; i++) await session.run(feeds);
    const runs = o.runs ?? 5;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    return (6 * 2 * n * c * f * blocks * runs * 1000) / (performance.now() - t0);
  } finally {
    await session.close();
  }
}
