// Scratch measurement (not committed): top-k index overlap and cosine between honest updates.
import { cryptoReady } from '@crucible/core';
import { createErrorFeedback, decompressTensor, sparseLoCoStep } from '@crucible/codec';
import { initParams, loadCorpus, paramTable } from '@crucible/model';
import { assignPages, runConfigFor } from '@crucible/protocol';
import { UpdateFactory } from '../src/testing/simulatedMiner.js';

await cryptoReady();
const corpus = await loadCorpus('sotu', { pageSize: 4096, valEvery: 20 });
const run = runConfigFor({ netuid: 1, trainPages: corpus.trainPageCount, model: 'tiny', overrides: { inner: { steps: 15, batchSize: 8 } } });
const table = paramTable(run.model);
const factory = await UpdateFactory.create(run, corpus);
let base = { params: initParams(run.model, 0), paramsHash: '0x' + '00'.repeat(32) };
const efs = [0, 1, 2, 3].map(() => createErrorFeedback(table));
type S = Map<string, { indices: Uint32Array; values: Float32Array }>;
const overlap = (a: S, b: S) => { let shared = 0, total = 0; for (const [n, pa] of a) { const pb = b.get(n)!; const set = new Set(pb.indices); for (const i of pa.indices) if (set.has(i)) shared++; total += pa.indices.length; } return shared / total; };
const cos = (a: S, b: S) => { let ab = 0, aa = 0, bb = 0; for (const [n, pa] of a) { const pb = b.get(n)!; const m = new Map<number, number>(); pb.indices.forEach((i, k) => m.set(i, pb.values[k]!)); pa.indices.forEach((i, k) => { ab += pa.values[k]! * (m.get(i) ?? 0); aa += pa.values[k]! ** 2; }); pb.values.forEach((v) => (bb += v * v)); } return ab / Math.sqrt(aa * bb); };
let prev: S[] = [];
for (let w = 0; w < 8; w++) {
  const ups: S[] = [];
  for (let m = 0; m < 4; m++) {
    const hk = `miner-${m}`;
    const delta = await factory.train(base, { windowSeed: `0x${String(w).padStart(64, '0')}`, window: w, hotkey: hk });
    const tensors = sparseLoCoStep(efs[m]!, delta, run.codec);
    ups.push(new Map(tensors.map((t) => [t.name, decompressTensor(t, run.codec)])));
  }
  const pairs: string[] = [];
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) pairs.push(`${overlap(ups[i]!, ups[j]!).toFixed(3)}/${cos(ups[i]!, ups[j]!).toFixed(3)}`);
  console.log(`window ${w}: overlap/cosine ${pairs.join(' ')}`);
  if (prev.length) console.log(`window ${w} self vs previous: ${ups.map((u, m) => `${overlap(u, prev[m]!).toFixed(3)}/${cos(u, prev[m]!).toFixed(3)}`).join(' ')}  cross-prev: ${overlap(ups[0]!, prev[1]!).toFixed(3)}/${cos(ups[0]!, prev[1]!).toFixed(3)}`);
  prev = ups;
  // advance base by the mean of updates (rough outer step)
  const next = new Map(base.params);
  for (const [n, p] of base.params) { const out = p.slice(); for (const u of ups) { const s = u.get(n)!; s.indices.forEach((i, k) => (out[i] = out[i]! - 0.7 * s.values[k]! / 4)); } next.set(n, out); }
  base = { ...base, params: next };
}
await factory.close();
