import { decodeTensor, type CodecConfig, type CompressedTensor } from '@crucible/codec';
import type { GptParams } from '@crucible/model';

/**
 * The parameters a miner's update would produce if it were the only one in the outer step:
 *   θ' = θ − lr · s · Δ,   s = min(1, clipNorm / ‖Δ‖₂)
 * with Δ the decoded update and clipNorm the median norm of the window's valid updates (the outer
 * step clips every contribution towards the median, so an evaluation does the same). Returns new
 * arrays; `base` is not changed.
 */
export function updateNorm(tensors: readonly CompressedTensor[], config: CodecConfig): number {
  let ss = 0;
  for (const t of tensors) {
    const dense = decodeTensor(t, config);
    for (let i = 0; i < dense.length; i++) ss += dense[i]! * dense[i]!;
  }
  return Math.sqrt(ss);
}

export function applyUpdate(
  base: GptParams,
  tensors: readonly CompressedTensor[],
  config: CodecConfig,
  options: { learningRate: number; clipNorm: number | null },
): { params: GptParams; norm: number; scale: number } {
  const decoded = new Map<string, Float32Array>();
  let ss = 0;
  for (const t of tensors) {
    const dense = decodeTensor(t, config);
    for (let i = 0; i < dense.length; i++) ss += dense[i]! * dense[i]!;
    decoded.set(t.name, dense);
  }
  const norm = Math.sqrt(ss);
  const scale = options.clipNorm !== null && norm > options.clipNorm && norm > 0 ? options.clipNorm / norm : 1;
  const step = options.learningRate * scale;
  const params: GptParams = new Map();
  for (const [name, theta] of base) {
    const out = theta.slice();
    const delta = decoded.get(name);
    if (delta) for (let i = 0; i < out.length; i++) out[i] = out[i]! - step * delta[i]!;
    params.set(name, out);
  }
  return { params, norm, scale };
}
