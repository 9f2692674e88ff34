import * as ort from 'onnxruntime-node';
import { buildTrainGraph, buildEvalGraph } from './gpt/graphs.js';
import { initParams } from './gpt/init.js';
import { presets } from './gpt/config.js';
import { paramTable } from './gpt/params.js';
const config = presets.small; const B = 16;
const kind = process.env.KIND ?? 'train';
const bytes = kind === 'train' ? buildTrainGraph(config, { batch: B }) : buildEvalGraph(config, { batch: B });
const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: Number(process.env.TH ?? 1), enableProfiling: process.env.PROF === '1', profileFilePrefix: '/tmp/ortprof_' + kind, graphOptimizationLevel: 'all', enableCpuMemArena: false, extra: { session: { use_deterministic_compute: '1' } } });
const params = initParams(config, 1);
const feeds: Record<string, ort.Tensor> = {};
for (const p of paramTable(config)) feeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.shape as number[]);
const toks = BigInt64Array.from({ length: B * 128 }, (_, i) => BigInt((i * 37) % 256));
feeds.tokens = new ort.Tensor('int64', toks, [B, 128]);
feeds.targets = new ort.Tensor('int64', toks, [B, 128]);
for (let i = 0; i < 5; i++) { const c = process.cpuUsage(); const a = performance.now(); await s.run(feeds); const cu = process.cpuUsage(c); console.log(kind, 'wall', (performance.now() - a).toFixed(0), 'cpu', ((cu.user + cu.system) / 1000).toFixed(0)); }
console.log('rss', (process.resourceUsage().maxRSS/1024).toFixed(0));
await s.release();
