import { GptSession } from '/work/main/shared/model/src/session/gptSession.js';
import { initParams } from '/work/main/shared/model/src/gpt/init.js';
import { presets } from '/work/main/shared/model/src/gpt/config.js';
const config = presets.small; const B = 16;
const t0 = performance.now();
const s = await GptSession.create({ config, batch: B, threads: 2, graphs: ['train','logits'] });
console.log('create ms', performance.now() - t0);
const params = initParams(config, 1);
const toks = Array.from({ length: B * 128 }, (_, i) => (i * 37) % 256);
const batch = { tokens: toks, targets: toks.map((t) => (t + 1) % 256) };
for (let i = 0; i < 6; i++) { const a = performance.now(); const r = await s.trainStep(params, batch); console.log('train', (performance.now() - a).toFixed(1), r.loss); }
for (let i = 0; i < 4; i++) { const a = performance.now(); await s.logits(params, toks); console.log('fwd', (performance.now() - a).toFixed(1)); }
await s.close();
