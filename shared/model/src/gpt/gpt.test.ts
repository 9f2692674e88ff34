import { afterAll, describe, expect, it } from 'vitest';
import { centralDifference, compareArrays, testRandom } from '../onnx/gradcheck.js';
import { OnnxSession, type SessionTensor } from '../session/session.js';
import { GptSession } from '../session/gptSession.js';
import type { GptConfig } from './config.js';
import { buildTrainGraph, graphNames } from './graphs.js';
import { initParams } from './init.js';
import { numel, paramTable, type GptParams } from './params.js';
import { referenceForward } from './reference.js';

// Whole-model checks on a tiny GPT (2 layers, width 8, 2 heads, context 4, batch 2) with random
// parameters of scale ~0.3 (so every nonlinearity is exercised) and a batch with repeated tokens.
const config: GptConfig = { nLayer: 2, nEmbd: 8, nHead: 2, blockSize: 4 };
const B = 2;
const tokens = [3, 7, 3, 3, 200, 7, 9, 3];
const targets = [7, 3, 3, 200, 7, 9, 3, 255];
const table = paramTable(config);

/** float32-representable random parameters, held as float64 for the reference. */
function randomParams(seed: number): Map<string, Float64Array> {
  const rand = testRandom(seed);
  return new Map(
    table.map((p) => {
      const base = /ln_\d\.weight|ln_f\.weight/.test(p.name) ? 1 : 0;
      return [p.name, Float64Array.from({ length: numel(p.shape) }, () => Math.fround(base + 0.3 * rand()))];
    }),
  );
}

function feeds(params: ReadonlyMap<string, Float64Array | Float32Array>): Record<string, SessionTensor> {
  const f: Record<string, SessionTensor> = {};
  for (const p of table) f[p.name] = { data: params.get(p.name)!, dims: p.shape };
  f[graphNames.tokens] = { data: BigInt64Array.from(tokens, BigInt), dims: [B, config.blockSize] };
  f[graphNames.targets] = { data: BigInt64Array.from(targets, BigInt), dims: [B, config.blockSize] };
  return f;
}

/** Indices to finite-difference: a spread sample, plus for wte every row a token touches (one repeated). */
function sampleIndices(name: string, n: number): number[] {
  const picks = new Set<number>();
  for (let k = 0; k < Math.min(n, 10); k++) picks.add(Math.floor((k * n) / Math.min(n, 10) + (k * 7) % 3) % n);
  if (name === 'wte.weight') for (const tok of [3, 7, 200, 255]) for (const c of [0, 5]) picks.add(tok * config.nEmbd + c);
  return [...picks];
}

describe('GPT train graph', () => {
  const sessions: (OnnxSession | GptSession)[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  const params64 = randomParams(42);
  const ref = referenceForward(config, params64, tokens, targets, B);

  it('float64 gradients of every parameter match central differences of the reference (rtol 1e-5, atol 1e-8)', async () => {
    const session = await OnnxSession.create(buildTrainGraph(config, { batch: B, float: 'float64' }), { optimization: 'disabled' });
    sessions.push(session);
    const out = await session.run(feeds(params64));
    const loss = compareArrays('loss', out[graphNames.loss]!.data as Float64Array, [ref.loss], 1e-12, 0);
    expect(loss.ok, loss.report).toBe(true);
    for (const p of table) {
      const x = params64.get(p.name)!.slice();
      const idx = sampleIndices(p.name, x.length);
      const f = (xi: Float64Array) => referenceForward(config, new Map(params64).set(p.name, xi), tokens, targets, B).loss;
      const want = centralDifference(f, x, 1e-5, idx);
      const full = out[graphNames.grad(p.name)]!.data as Float64Array;
      const cmp = compareArrays(`d loss / d ${p.name}`, idx.map((i) => full[i]!), want, 1e-5, 1e-8);
      expect(cmp.ok, cmp.report).toBe(true);
    }
  });

  it('float32 loss and gradients agree with the float64 graph (rtol 2e-3, atol 1e-5)', async () => {
    const s64 = await OnnxSession.create(buildTrainGraph(config, { batch: B, float: 'float64' }), { optimization: 'disabled' });
    const s32 = await OnnxSession.create(buildTrainGraph(config, { batch: B }));
    sessions.push(s64, s32);
    const params32 = new Map([...params64].map(([k, v]) => [k, Float32Array.from(v)]));
    const [o64, o32] = [await s64.run(feeds(params64)), await s32.run(feeds(params32))];
    const loss = compareArrays('loss', o32[graphNames.loss]!.data as Float32Array, [ref.loss], 1e-5, 0);
    expect(loss.ok, loss.report).toBe(true);
    for (const p of table) {
      const name = graphNames.grad(p.name);
      const cmp = compareArrays(name, o32[name]!.data as Float32Array, o64[name]!.data as Float64Array, 2e-3, 1e-5);
      expect(cmp.ok, cmp.report).toBe(true);
    }
  });

  it('eval and logits graphs reproduce the reference (rtol 1e-4)', async () => {
    const gs = await GptSession.create({ config, batch: B, graphs: ['eval', 'logits'] });
    sessions.push(gs);
    const params: GptParams = new Map([...params64].map(([k, v]) => [k, Float32Array.from(v)]));
    const seq = compareArrays('sequence loss', await gs.sequenceLoss(params, { tokens, targets }), ref.sequenceLoss, 1e-5, 0);
    expect(seq.ok, seq.report).toBe(true);
    const logits = compareArrays('logits', await gs.logits(params, tokens), ref.logits, 1e-4, 1e-5);
    expect(logits.ok, logits.report).toBe(true);
  });

  it('is deterministic: separately created sessions (2 threads) give bit-identical loss and gradients', async () => {
    // Realistic sizes: 16×64 tokens over a 256-byte vocabulary repeat ids many times, which is what
    // exposed onnxruntime's racy ScatterND(reduction=add) before the embedding gradient moved to a GEMM.
    const tiny: GptConfig = { nLayer: 1, nEmbd: 64, nHead: 4, blockSize: 64 };
    const params = initParams(tiny, 7);
    const rand = testRandom(3);
    const toks = Array.from({ length: 16 * 64 }, () => Math.floor((rand() + 1) * 20) % 256);
    const batch = { tokens: toks, targets: toks.map((t) => (t * 31 + 1) % 256) };
    const bytes = (g: Float32Array) => Buffer.from(g.buffer, g.byteOffset, g.byteLength);
    let first: { loss: number; grads: Float32Array[] } | undefined;
    for (let s = 0; s < 2; s++) {
      const gs = await GptSession.create({ config: tiny, batch: 16, threads: 2, graphs: ['train'] });
      sessions.push(gs);
      for (let k = 0; k < 3; k++) {
        const r = await gs.trainStep(params, batch);
        first ??= { loss: r.loss, grads: r.grads.map((g) => g.slice()) }; // the session reuses its gradient buffers
        expect(Object.is(r.loss, first.loss)).toBe(true);
        r.grads.forEach((g, i) => expect(bytes(g).equals(bytes(first!.grads[i]!)), `${gs.table[i]!.name} differs`).toBe(true));
      }
    }
  });
});
