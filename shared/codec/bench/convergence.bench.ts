/**
 * Convergence study: K replicas of the tiny GPT trained in one process on disjoint pages for the same
 * number of tokens, comparing
 *   - dense data-parallel AdamW (one model, a K× larger batch: the same as averaging K replicas' gradients),
 *   - DiLoCo: H inner AdamW steps per replica, mean fp32 pseudo-gradient, outer SGD with Nesterov momentum,
 *   - SparseLoCo: H inner steps, error feedback + top-k + 2-bit codes through the real signed wire format,
 *     decoded and aggregated (median-norm clipping, mean over contributors), outer SGD α = 1.
 * Prints the validation loss of each and the bytes each replica would send per round, then one JSON line.
 * Flags (defaults): --replicas 4 --inner 15 --rounds 20 --batch 8 --preset tiny --topk 64 --seed 1
 *   --methods ddp,diloco,sparseloco
 */
import { parseArgs } from 'node:util';
import { cryptoReady, keypairFromUri, toHex } from '@crucible/core';
import { cosineSchedule, initParams, loadCorpus, paramTable, presets, Trainer } from '@crucible/model';
import {
  averageSparse,
  decompressTensor,
  createErrorFeedback,
  decodeGradient,
  encodeGradient,
  parseCodecConfig,
  sparseLoCoStep,
} from '../src/index.js';

const { values: flags } = parseArgs({
  options: {
    replicas: { type: 'string', default: '4' },
    inner: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '20' },
    batch: { type: 'string', default: '8' },
    preset: { type: 'string', default: 'tiny' },
    topk: { type: 'string', default: '64' },
    methods: { type: 'string', default: 'ddp,diloco,sparseloco' },
    seed: { type: 'string', default: '1' },
  },
});
const K = Number(flags.replicas);
const H = Number(flags.inner);
const R = Number(flags.rounds);
const B = Number(flags.batch);
const config = presets[flags.preset as keyof typeof presets];
const T = config.blockSize;
const table = paramTable(config);
const P = table.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
const innerSteps = H * R;
const tokens = K * B * T * innerSteps;
const INNER_LR = 2e-3; // papers.md §7.1
const DDP_LR = 4e-3;
const warmup = Math.max(1, Math.round(0.05 * innerSteps));
const codec = parseCodecConfig({ topK: Number(flags.topk) });
const SEED = Number(flags.seed);

await cryptoReady();
const corpus = await loadCorpus();
const pagesOf = (r: number) => Array.from({ length: corpus.trainPageCount }, (_, i) => i).filter((i) => i % K === r);
const allPages = Array.from({ length: corpus.trainPageCount }, (_, i) => i);
// The same 128 validation sequences for every method, cut to whatever batch its session was built for.
const VAL_SEQUENCES = 128;
const valAll = corpus.validationBatch(VAL_SEQUENCES, T, 'crucible-validation/convergence');
const valFor = (size: number) =>
  Array.from({ length: Math.floor(VAL_SEQUENCES / size) }, (_, i) => ({
    tokens: valAll.inputs.subarray(i * size * T, (i + 1) * size * T),
    targets: valAll.targets.subarray(i * size * T, (i + 1) * size * T),
  }));
const batchOf = (pages: readonly number[], size: number, seed: string) => {
  const b = corpus.trainBatch(pages, size, T, seed);
  return { tokens: b.inputs, targets: b.targets };
};

interface Result {
  method: string;
  valLoss: number;
  bytesPerReplicaPerRound: number;
  seconds: number;
}

async function ddp(): Promise<Result> {
  const started = performance.now();
  const trainer = await Trainer.create({ config, params: initParams(config, SEED), batch: K * B });
  const lr = cosineSchedule({ maxLr: DDP_LR, warmupSteps: warmup, totalSteps: innerSteps });
  for (let s = 0; s < innerSteps; s++) await trainer.step(batchOf(allPages, K * B, `${SEED}/ddp/${s}`), lr(s));
  const valLoss = await trainer.evaluate(valFor(K * B));
  await trainer.close();
  // An fp32 gradient per inner step (a ring all-reduce moves about twice this).
  return { method: 'AdamW DDP', valLoss, bytesPerReplicaPerRound: 4 * P * H, seconds: (performance.now() - started) / 1000 };
}

/** The shared outer loop: H inner steps per replica, then `outer` turns the replicas into the next θ. */
async function localSgd(
  method: string,
  outer: (global: Map<string, Float32Array>, replicas: Trainer[], round: number) => Promise<number>,
): Promise<Result> {
  const started = performance.now();
  const global = initParams(config, SEED);
  const replicas: Trainer[] = [];
  for (let r = 0; r < K; r++) replicas.push(await Trainer.create({ config, params: initParams(config, SEED), batch: B, withEval: r === 0 }));
  const lr = cosineSchedule({ maxLr: INNER_LR, warmupSteps: warmup, totalSteps: innerSteps });
  let bytes = 0;
  for (let round = 0; round < R; round++) {
    for (let r = 0; r < K; r++) {
      for (const [name, data] of global) replicas[r]!.params.get(name)!.set(data);
      for (let h = 0; h < H; h++) {
        const s = round * H + h;
        await replicas[r]!.step(batchOf(pagesOf(r), B, `${SEED}/${r}/${s}`), lr(s));
      }
    }
    bytes += await outer(global, replicas, round);
  }
  for (const [name, data] of global) replicas[0]!.params.get(name)!.set(data);
  const valLoss = await replicas[0]!.evaluate(valFor(B));
  for (const t of replicas) await t.close();
  return { method, valLoss, bytesPerReplicaPerRound: bytes / R, seconds: (performance.now() - started) / 1000 };
}

function diloco(): Promise<Result> {
  const momentum = new Map(table.map((p) => [p.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]));
  const outerLr = 0.7;
  const mu = 0.9;
  return localSgd(`DiLoCo H=${H} (Nesterov ${outerLr}/${mu})`, async (global, replicas) => {
    for (const [name, theta] of global) {
      const v = momentum.get(name)!;
      for (let i = 0; i < theta.length; i++) {
        let g = 0;
        for (const t of replicas) g += theta[i]! - t.params.get(name)![i]!;
        g /= replicas.length;
        v[i] = mu * v[i]! + g;
        theta[i] = theta[i]! - outerLr * (g + mu * v[i]!);
      }
    }
    return 4 * P;
  });
}

function sparseLoCo(): Promise<Result> {
  const states = Array.from({ length: K }, () => createErrorFeedback(table));
  const signer = keypairFromUri('//Alice');
  const base = toHex(new Uint8Array(32));
  return localSgd(`SparseLoCo H=${H} k=${codec.topK}/4096 2-bit`, async (global, replicas, round) => {
    let bytes = 0;
    const decoded = replicas.map((t, r) => {
      const deltas = new Map<string, Float32Array>();
      for (const [name, theta] of global) {
        const local = t.params.get(name)!;
        const d = new Float32Array(theta.length);
        for (let i = 0; i < d.length; i++) d[i] = theta[i]! - local[i]!;
        deltas.set(name, d);
      }
      const wire = encodeGradient({ window: round, baseCheckpoint: base, config: codec, tensors: sparseLoCoStep(states[r]!, deltas, codec), signer });
      bytes += wire.length;
      return decodeGradient(wire, { params: table, codec });
    });
    // The protocol's clip rule (shared/protocol/src/update/clip.ts): each update counts at most as the median norm.
    const sparse = decoded.map((g) => new Map(g.tensors.map((t) => [t.name, decompressTensor(t, g.config)])));
    const norms = sparse.map((m) => Math.sqrt([...m.values()].reduce((s, t) => s + t.values.reduce((a, v) => a + v * v, 0), 0)));
    const median = [...norms].sort((a, b) => a - b)[(norms.length - 1) >> 1]!;
    const scales = norms.map((n) => (n > median ? median / n : 1));
    for (const [name, theta] of global) {
      const u = averageSparse(sparse.map((m, r) => ({ sparse: m.get(name)!, scale: scales[r]! })), theta.length);
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - u[i]!; // α = 1
    }
    return bytes / K;
  });
}

const runs: Record<string, () => Promise<Result>> = { ddp, diloco, sparseloco: sparseLoCo };
const results: Result[] = [];
console.log(`model ${flags.preset} (${P} params), ${K} replicas × batch ${B} × ${T} tokens, H = ${H}, ${R} rounds, ${tokens} tokens per method`);
for (const m of flags.methods.split(',')) {
  const result = await runs[m]!();
  results.push(result);
  console.log(
    `${result.method.padEnd(40)} val loss ${result.valLoss.toFixed(4)} nats/byte   ` +
      `${Math.round(result.bytesPerReplicaPerRound)} bytes/replica/round   ${result.seconds.toFixed(0)} s`,
  );
}
console.log('note: one seed, tiny model, shared 2-core machine under contention; differences under ~0.02 nats are noise');
console.log(
  JSON.stringify({
    bench: 'convergence',
    preset: flags.preset,
    seed: SEED,
    top_k: codec.topK,
    params: P,
    replicas: K,
    inner_steps: H,
    rounds: R,
    tokens_per_method: tokens,
    results: results.map((r) => ({ method: r.method, val_loss: Number(r.valLoss.toFixed(4)), bytes_per_replica_per_round: Math.round(r.bytesPerReplicaPerRound) })),
  }),
);
