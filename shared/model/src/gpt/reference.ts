import { vocabSizeOf, type GptConfig } from './config.js';

/**
 * A slow, plain float64 TypeScript implementation of exactly the computation the ONNX graphs perform.
 * It is the oracle of the gradient tests (central differences are taken through it) and the
 * executable form of the model description in README.md.
 */
export interface ReferenceResult {
  /** Mean cross-entropy over all B·T positions (natural log). */
  loss: number;
  /** Each sequence's mean loss (B). */
  sequenceLoss: Float64Array;
  /** Logits (B·T, V), row-major. */
  logits: Float64Array;
}

type Params = ReadonlyMap<string, ArrayLike<number>>;

export function referenceForward(config: GptConfig, params: Params, tokens: ArrayLike<number>, targets: ArrayLike<number>, batch: number): ReferenceResult {
  const { nLayer, nEmbd: C, nHead: H, blockSize: T } = config;
  const V = vocabSizeOf(config);
  const D = C / H;
  const N = batch * T;
  const w = (name: string) => {
    const p = params.get(name);
    if (p === undefined) throw new Error(`reference: missing ${name}`);
    return p;
  };
  // x = wte[tok] + wpe[pos]
  let x: Float64Array = new Float64Array(N * C); // (N,C)
  const wte = w('wte.weight');
  const wpe = w('wpe.weight');
  for (let n = 0; n < N; n++) {
    const tok = tokens[n]!;
    const pos = n % T;
    for (let c = 0; c < C; c++) x[n * C + c] = wte[tok * C + c]! + wpe[pos * C + c]!;
  }
  for (let l = 0; l < nLayer; l++) {
    const h = `h.${l}`;
    const a = layerNormRef(x, N, C, w(`${h}.ln_1.weight`), w(`${h}.ln_1.bias`));
    const qkv = linearRef(a, N, C, 3 * C, w(`${h}.attn.c_attn.weight`), w(`${h}.attn.c_attn.bias`)); // (N,3C)
    const y = new Float64Array(N * C);
    const scale = 1 / Math.sqrt(D);
    for (let b = 0; b < batch; b++)
      for (let hd = 0; hd < H; hd++)
        for (let i = 0; i < T; i++) {
          const qi = (b * T + i) * 3 * C + hd * D;
          const scores = new Float64Array(i + 1);
          let max = -Infinity;
          for (let j = 0; j <= i; j++) {
            const kj = (b * T + j) * 3 * C + C + hd * D;
            let s = 0;
            for (let d = 0; d < D; d++) s += qkv[qi + d]! * qkv[kj + d]!;
            scores[j] = s * scale;
            max = Math.max(max, scores[j]!);
          }
          let z = 0;
          for (let j = 0; j <= i; j++) z += (scores[j] = Math.exp(scores[j]! - max));
          for (let j = 0; j <= i; j++) {
            const vj = (b * T + j) * 3 * C + 2 * C + hd * D;
            const p = scores[j]! / z;
            for (let d = 0; d < D; d++) y[(b * T + i) * C + hd * D + d]! += p * qkv[vj + d]!;
          }
        }
    x = addRef(x, linearRef(y, N, C, C, w(`${h}.attn.c_proj.weight`), w(`${h}.attn.c_proj.bias`)));
    const m = layerNormRef(x, N, C, w(`${h}.ln_2.weight`), w(`${h}.ln_2.bias`));
    const f = linearRef(m, N, C, 4 * C, w(`${h}.mlp.c_fc.weight`), w(`${h}.mlp.c_fc.bias`)).map(geluRef);
    x = addRef(x, linearRef(f, N, 4 * C, C, w(`${h}.mlp.c_proj.weight`), w(`${h}.mlp.c_proj.bias`)));
  }
  const xf = layerNormRef(x, N, C, w('ln_f.weight'), w('ln_f.bias'));
  const logits = new Float64Array(N * V); // (N,V) = xf @ wteᵀ
  for (let n = 0; n < N; n++)
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += xf[n * C + c]! * wte[v * C + c]!;
      logits[n * V + v] = s;
    }
  const sequenceLoss = new Float64Array(batch);
  let total = 0;
  for (let n = 0; n < N; n++) {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[n * V + v]!);
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(logits[n * V + v]! - max);
    const nll = max + Math.log(z) - logits[n * V + targets[n]!]!;
    total += nll;
    sequenceLoss[Math.floor(n / T)]! += nll / T;
  }
  return { loss: total / N, sequenceLoss, logits };
}

export function geluRef(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

function layerNormRef(x: Float64Array, n: number, c: number, w: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n * c);
  for (let r = 0; r < n; r++) {
    let mean = 0;
    for (let i = 0; i < c; i++) mean += x[r * c + i]!;
    mean /= c;
    let variance = 0;
    for (let i = 0; i < c; i++) variance += (x[r * c + i]! - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / c + 1e-5);
    for (let i = 0; i < c; i++) y[r * c + i] = (x[r * c + i]! - mean) * inv * w[i]! + b[i]!;
  }
  return y;
}

/** y = x @ W + b with W stored (in, out). */
function linearRef(x: Float64Array, n: number, k: number, m: number, w: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n * m);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < m; j++) y[r * m + j] = b[j]!;
    for (let q = 0; q < k; q++) {
      const xv = x[r * k + q]!;
      for (let j = 0; j < m; j++) y[r * m + j]! += xv * w[q * m + j]!;
    }
  }
  return y;
}

function addRef(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!);
}
