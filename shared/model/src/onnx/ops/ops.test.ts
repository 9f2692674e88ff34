import { afterAll, describe, expect, it } from 'vitest';
import { OnnxSession } from '../../session/session.js';
import { Tape } from '../autodiff.js';
import { centralDifference, compareArrays, testRandom } from '../gradcheck.js';
import type { Value } from '../graph.js';
import { causalSelfAttention } from './attention.js';
import { causalSoftmax } from './causalSoftmax.js';
import { crossEntropy } from './crossEntropy.js';
import { add, div, mul, reshape, scale, split, sub, transpose } from './elementwise.js';
import { embedding } from './embedding.js';
import { gelu } from './gelu.js';
import { layerNorm } from './layerNorm.js';
import { linear, matmul } from './linear.js';

// Each operator's backward pass, run by onnxruntime in float64, must match central finite differences
// (h = 1e-5) of a plain float64 TypeScript forward of the same operator to rtol 1e-6 / atol 1e-8, and
// its forward must match the reference to 1e-10. The loss is Σ y·R for a fixed random R.

interface InputSpec {
  shape: number[];
  /** int64 ids in [0, ids) instead of floats; never differentiated. */
  ids?: number;
  positive?: boolean;
}
interface OpCase {
  name: string;
  inputs: InputSpec[];
  build(t: Tape, xs: Value[]): Value;
  ref(xs: Float64Array[]): Float64Array;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Elementwise binary op with numpy broadcasting on row-major arrays. */
function broadcast2(f: (a: number, b: number) => number, a: Float64Array, as: number[], b: Float64Array, bs: number[]): Float64Array {
  const n = Math.max(as.length, bs.length);
  const pa = [...new Array(n - as.length).fill(1), ...as];
  const pb = [...new Array(n - bs.length).fill(1), ...bs];
  const out = pa.map((d, i) => Math.max(d, pb[i]!));
  const y = new Float64Array(size(out));
  const idx = new Array(n).fill(0);
  const flat = (shape: number[]) => idx.reduce((acc, v, i) => acc * shape[i]! + (shape[i] === 1 ? 0 : v), 0);
  for (let k = 0; k < y.length; k++) {
    let r = k;
    for (let i = n - 1; i >= 0; i--) {
      idx[i] = r % out[i]!;
      r = Math.floor(r / out[i]!);
    }
    y[k] = f(a[flat(pa)]!, b[flat(pb)]!);
  }
  return y;
}

function transposeRef(x: Float64Array, shape: number[], perm: number[]): Float64Array {
  const out = perm.map((p) => shape[p]!);
  const y = new Float64Array(x.length);
  const strides = shape.map((_, i) => size(shape.slice(i + 1)));
  for (let k = 0; k < y.length; k++) {
    let r = k;
    let src = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      src += (r % out[i]!) * strides[perm[i]!]!;
      r = Math.floor(r / out[i]!);
    }
    y[k] = x[src]!;
  }
  return y;
}

function matmulRef(a: Float64Array, b: Float64Array, batch: number, m: number, k: number, n: number, transB = false): Float64Array {
  const y = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a[p * m * k + i * k + q]! * (transB ? b[p * n * k + j * k + q]! : b[p * k * n + q * n + j]!);
        y[p * m * n + i * n + j] = s;
      }
  return y;
}

const geluRef = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

const cases: OpCase[] = [
  {
    name: 'add (broadcast)',
    inputs: [{ shape: [2, 3, 4] }, { shape: [3, 1] }],
    build: (t, [a, b]) => add(t, a!, b!),
    ref: ([a, b]) => broadcast2((x, y) => x + y, a!, [2, 3, 4], b!, [3, 1]),
  },
  {
    name: 'sub (broadcast)',
    inputs: [{ shape: [3, 4] }, { shape: [4] }],
    build: (t, [a, b]) => sub(t, a!, b!),
    ref: ([a, b]) => broadcast2((x, y) => x - y, a!, [3, 4], b!, [4]),
  },
  {
    name: 'mul (broadcast)',
    inputs: [{ shape: [2, 3] }, { shape: [2, 1] }],
    build: (t, [a, b]) => mul(t, a!, b!),
    ref: ([a, b]) => broadcast2((x, y) => x * y, a!, [2, 3], b!, [2, 1]),
  },
  {
    name: 'div',
    inputs: [{ shape: [2, 3] }, { shape: [2, 3], positive: true }],
    build: (t, [a, b]) => div(t, a!, b!),
    ref: ([a, b]) => broadcast2((x, y) => x / y, a!, [2, 3], b!, [2, 3]),
  },
  { name: 'scale', inputs: [{ shape: [5] }], build: (t, [x]) => scale(t, x!, -0.37), ref: ([x]) => x!.map((v) => v * -0.37) },
  {
    name: 'reshape + transpose',
    inputs: [{ shape: [2, 6] }],
    build: (t, [x]) => transpose(t, reshape(t, x!, [2, 3, 2]), [1, 2, 0]),
    ref: ([x]) => transposeRef(x!, [2, 3, 2], [1, 2, 0]),
  },
  {
    name: 'split (unused pieces get zero gradient)',
    inputs: [{ shape: [3, 6] }],
    build: (t, [x]) => {
      const [a, , c] = split(t, x!, [2, 1, 3], 1); // a: (3,2), c: (3,3)
      const [a0] = split(t, a!, [1, 1], 1); // a0: (3,1)
      return add(t, mul(t, c!, c!), mul(t, a0!, a0!));
    },
    ref: ([x]) => {
      const y = new Float64Array(9);
      for (let r = 0; r < 3; r++) for (let j = 0; j < 3; j++) y[r * 3 + j] = x![r * 6 + 3 + j]! ** 2 + x![r * 6]! ** 2;
      return y;
    },
  },
  {
    name: 'linear (x @ W + b)',
    inputs: [{ shape: [4, 3] }, { shape: [3, 5] }, { shape: [5] }],
    build: (t, [x, w, b]) => linear(t, x!, w!, b!),
    ref: ([x, w, b]) => matmulRef(x!, w!, 1, 4, 3, 5).map((v, i) => v + b![i % 5]!),
  },
  {
    name: 'linear (x @ Wᵀ, tied head)',
    inputs: [{ shape: [4, 3] }, { shape: [6, 3] }],
    build: (t, [x, w]) => linear(t, x!, w!, undefined, true),
    ref: ([x, w]) => matmulRef(x!, w!, 1, 4, 3, 6, true),
  },
  {
    name: 'matmul (batched)',
    inputs: [{ shape: [2, 3, 4] }, { shape: [2, 4, 2] }],
    build: (t, [a, b]) => matmul(t, a!, b!),
    ref: ([a, b]) => matmulRef(a!, b!, 2, 3, 4, 2),
  },
  {
    name: 'embedding (repeated ids accumulate)',
    inputs: [{ shape: [5, 3] }, { shape: [7], ids: 5 }],
    build: (t, [w, ids]) => embedding(t, w!, ids!),
    ref: ([w, ids]) => {
      const y = new Float64Array(7 * 3);
      for (let n = 0; n < 7; n++) for (let c = 0; c < 3; c++) y[n * 3 + c] = w![ids![n]! * 3 + c]!;
      return y;
    },
  },
  {
    name: 'layerNorm',
    inputs: [{ shape: [3, 5] }, { shape: [5] }, { shape: [5] }],
    build: (t, [x, w, b]) => layerNorm(t, x!, w!, b!),
    ref: ([x, w, b]) => {
      const y = new Float64Array(15);
      for (let r = 0; r < 3; r++) {
        const row = x!.subarray(r * 5, r * 5 + 5);
        const mean = row.reduce((a, v) => a + v, 0) / 5;
        const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / 5;
        const inv = 1 / Math.sqrt(variance + 1e-5);
        for (let c = 0; c < 5; c++) y[r * 5 + c] = (row[c]! - mean) * inv * w![c]! + b![c]!;
      }
      return y;
    },
  },
  { name: 'gelu (tanh)', inputs: [{ shape: [4, 6] }], build: (t, [x]) => gelu(t, scale(t, x!, 3)), ref: ([x]) => x!.map((v) => geluRef(v * 3)) },
  {
    name: 'causalSoftmax',
    inputs: [{ shape: [2, 4, 4] }],
    build: (t, [s]) => causalSoftmax(t, s!, 0.7),
    ref: ([s]) => {
      const y = new Float64Array(32);
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < 4; i++) {
          const row = Array.from({ length: i + 1 }, (_, j) => s![b * 16 + i * 4 + j]! * 0.7);
          const mx = Math.max(...row);
          const e = row.map((v) => Math.exp(v - mx));
          const z = e.reduce((a, v) => a + v, 0);
          e.forEach((v, j) => (y[b * 16 + i * 4 + j] = v / z));
        }
      return y;
    },
  },
  {
    name: 'causalSelfAttention (B=2, T=3, H=2, D=2)',
    inputs: [{ shape: [6, 12] }],
    build: (t, [qkv]) => causalSelfAttention(t, qkv!, 2, 3, 2),
    ref: ([qkv]) => {
      const [T, C, D] = [3, 4, 2];
      const y = new Float64Array(6 * C);
      for (let b = 0; b < 2; b++)
        for (let h = 0; h < 2; h++)
          for (let i = 0; i < T; i++) {
            const at = (r: number, block: number, d: number) => qkv![(b * T + r) * 3 * C + block * C + h * D + d]!;
            const s = Array.from({ length: i + 1 }, (_, j) => (at(i, 0, 0) * at(j, 1, 0) + at(i, 0, 1) * at(j, 1, 1)) / Math.sqrt(D));
            const mx = Math.max(...s);
            const e = s.map((v) => Math.exp(v - mx));
            const z = e.reduce((a, v) => a + v, 0);
            for (let d = 0; d < D; d++) y[(b * T + i) * C + h * D + d] = e.reduce((a, v, j) => a + (v / z) * at(j, 2, d), 0);
          }
      return y;
    },
  },
  {
    name: 'crossEntropy (mean)',
    inputs: [{ shape: [5, 7] }, { shape: [5], ids: 7 }],
    build: (t, [l, tg]) => crossEntropy(t, l!, tg!),
    ref: ([l, tg]) => {
      let sum = 0;
      for (let n = 0; n < 5; n++) {
        const row = Array.from(l!.subarray(n * 7, n * 7 + 7));
        const mx = Math.max(...row);
        const lse = mx + Math.log(row.reduce((a, v) => a + Math.exp(v - mx), 0));
        sum += lse - row[tg![n]!]!;
      }
      return Float64Array.of(sum / 5);
    },
  },
];

describe('operator gradients (float64 onnxruntime vs central differences of a float64 reference)', () => {
  const sessions: OnnxSession[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  it.each(cases)('$name', async (c) => {
    const rand = testRandom(c.name.length * 7919 + 17);
    const t = new Tape('float64');
    const arrays = c.inputs.map((spec) => {
      const n = size(spec.shape);
      if (spec.ids !== undefined) return Float64Array.from({ length: n }, (_, i) => (i * 3 + 1) % spec.ids! % Math.max(1, spec.ids! - 2));
      return Float64Array.from({ length: n }, () => (spec.positive ? 0.5 + Math.abs(rand()) : rand()));
    });
    const values = c.inputs.map((spec, i) => (spec.ids !== undefined ? t.g.input(`x${i}`, spec.shape, 'int64') : t.param(`x${i}`, spec.shape)));
    const y = c.build(t, values);
    const seed = t.g.input('seed', y.shape);
    const floatIdx = c.inputs.map((s, i) => (s.ids === undefined ? i : -1)).filter((i) => i >= 0);
    const grads = t.backward(y, floatIdx.map((i) => values[i]!), seed);
    t.g.output(y, 'y');
    grads.forEach((gr, k) => t.g.output(gr, `grad${floatIdx[k]}`));
    // Graph optimisation off: the optimiser folds scalings into FusedMatMul's float32 alpha, which is
    // right for float32 graphs but would blur a float64 check at 1e-8.
    const session = await OnnxSession.create(t.g.toBytes(), { threads: 1, optimization: 'disabled' });
    sessions.push(session);

    const r = Float64Array.from({ length: size(y.shape) }, () => rand());
    const feeds: Parameters<OnnxSession['run']>[0] = { seed: { data: r, dims: y.shape } };
    c.inputs.forEach((spec, i) => {
      feeds[`x${i}`] =
        spec.ids !== undefined ? { data: BigInt64Array.from(arrays[i]!, (v) => BigInt(v)), dims: spec.shape } : { data: arrays[i]!, dims: spec.shape };
    });
    const out = await session.run(feeds);

    const fwd = compareArrays(`${c.name} forward`, out.y!.data as Float64Array, c.ref(arrays), 1e-10, 1e-12);
    expect(fwd.ok, fwd.report).toBe(true);
    for (const i of floatIdx) {
      const loss = (xi: Float64Array) => {
        const xs = arrays.map((a, j) => (j === i ? xi : a));
        return c.ref(xs).reduce((acc, v, k) => acc + v * r[k]!, 0);
      };
      const want = centralDifference(loss, arrays[i]!.slice());
      const cmp = compareArrays(`${c.name} d/dx${i}`, out[`grad${i}`]!.data as Float64Array, want, 1e-6, 1e-8);
      expect(cmp.ok, cmp.report).toBe(true);
    }
  });
});

describe('embedding gradient under threads', () => {
  it('sums the rows of repeated ids exactly, run after run (float32, 2 threads, 4096 ids over 8 values)', async () => {
    const [V, C, N] = [256, 256, 4096];
    const t = new Tape('float32');
    const w = t.param('w', [V, C]);
    const ids = t.g.input('ids', [N], 'int64');
    const y = embedding(t, w, ids);
    const seed = t.g.input('seed', y.shape);
    const [dw] = t.backward(y, [w], seed);
    t.g.output(dw!, 'dw');
    const session = await OnnxSession.create(t.g.toBytes(), { threads: 2 });
    try {
      const rand = testRandom(5);
      // Small integers: every partial sum is exact in float32, so any correct order gives the same bits.
      const dy = Float32Array.from({ length: N * C }, () => Math.round(rand() * 8));
      const idList = Array.from({ length: N }, (_, n) => (n * 7) % 8);
      const want = new Float64Array(V * C);
      idList.forEach((id, n) => {
        for (let c = 0; c < C; c++) want[id * C + c]! += dy[n * C + c]!;
      });
      for (let run = 0; run < 5; run++) {
        const out = await session.run({
          w: { data: new Float32Array(V * C), dims: [V, C] },
          ids: { data: BigInt64Array.from(idList, BigInt), dims: [N] },
          seed: { data: dy, dims: [N, C] },
        });
        const cmp = compareArrays(`dW run ${run}`, out.dw!.data as Float32Array, want, 0, 0);
        expect(cmp.ok, cmp.report).toBe(true);
      }
    } finally {
      await session.close();
    }
  });
});
