import { Trainer, WindowTrainer, initParams, presets } from '@crucible/model';
const preset = process.argv[2] ?? 'tiny', B = Number(process.argv[3] ?? 8), H = 15, threads = Number(process.argv[4] ?? 2);
const config = presets[preset]; const T = config.blockSize;
const mk = (k) => { const tokens = Array.from({length: B*T}, (_, i) => (i*31 + k*7) % 256); const targets = tokens.map(x => (x+1)%256); return { tokens, targets }; };
const batches = Array.from({length: H}, (_, k) => mk(k));
const adamw = { weightDecay: 0.1, maxGradNorm: 1 };
const init = initParams(config, 0);
const tr = await Trainer.create({ config, params: new Map([...init].map(([k,v]) => [k, v.slice()])), batch: B, threads, adamw, withEval: false });
const wt = await WindowTrainer.create({ config, batch: B, maxSteps: H, threads, adamw });
for (let r = 0; r < 4; r++) {
  for (const [k, p] of tr.params) p.set(init.get(k));
  let t = performance.now(); let lossA = [];
  for (const b of batches) lossA.push((await tr.step(b, 3e-3)).loss);
  const a = performance.now() - t;
  wt.setParams(init); t = performance.now();
  const out = await wt.run(batches, batches.map(() => 3e-3));
  const w = performance.now() - t;
  console.log(`${preset} b${B} t${threads}: Trainer ${a.toFixed(0)} ms, WindowTrainer ${w.toFixed(0)} ms, last loss ${lossA.at(-1)} vs ${out.losses.at(-1)}`);
}
await tr.close(); await wt.close();
