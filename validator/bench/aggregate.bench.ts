/**
 * Aggregation of the default model (genesis defaults: tiny preset, top-G = 5): outer step over G
 * decoded updates, publishing the checkpoint (safetensors + signed manifest) to a real S3 server, and a
 * follower's download + verification (manifest signature, parameter hash). Prints one JSON line last.
 */
import { randomBytes } from 'node:crypto';
import { keypairFromUri } from '@crucible/core';
import { initParams, paramTable } from '@crucible/model';
import { decodeUpdate, fetchManifest, fetchParams, outerStep, publishCheckpoint } from '@crucible/protocol';
import { genesisRunConfig } from '../src/aggregate/genesis.js';
import { openOwnStore } from '../src/neuron/bucket.js';
import { benchServices, minerKeys, noiseUpdate } from './benchSupport.js';

const services = await benchServices();
try {
  const run = await genesisRunConfig({ netuid: 1, preset: 'tiny' });
  const G = run.outer.topG;
  const table = paramTable(run.model);
  const base = initParams(run.model, run.initSeed);
  const baseHash = `0x${'00'.repeat(32)}`;
  const updates = minerKeys(G).map((k, i) => decodeUpdate(noiseUpdate(run, 3, baseHash, k, `agg/${i}`), { params: table, codec: run.codec }));
  const signer = keypairFromUri('//BenchAggregator');
  const { store } = await openOwnStore(services.storage(`bench-agg-${randomBytes(4).toString('hex')}`));
  const reps = 3;
  let aggregate = 0;
  let publish = 0;
  let download = 0;
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    const { params } = outerStep(base, table, updates, { learningRate: run.outer.learningRate, momentum: run.outer.momentum });
    aggregate += (performance.now() - t) / 1000;
    t = performance.now();
    const published = await publishCheckpoint(
      store,
      { config: run.model, params, metadata: {} },
      { netuid: 1, window: 10 + r, parentHash: baseHash, parentWindow: 0, contributors: [], validationLoss: null, run },
      signer,
    );
    publish += (performance.now() - t) / 1000;
    t = performance.now();
    const signed = await fetchManifest(store, 10 + r);
    if (!signed || signed.signer !== signer.address) throw new Error('manifest did not verify');
    await fetchParams(store, signed.manifest);
    download += (performance.now() - t) / 1000;
    console.log(`rep ${r}: ${published.bytes} bytes of parameters`);
  }
  store.close();
  const f = (x: number) => Number((x / reps).toFixed(4));
  console.log(`tiny preset, ${G} miners, mean of ${reps}; 2 cores shared with other jobs`);
  console.log(JSON.stringify({ bench: 'aggregate', miners: G, aggregate_s: f(aggregate), publish_s: f(publish), download_verify_s: f(download) }));
} finally {
  await services.close();
}
