/**
 * Joining a long-running subnet: the time for a fresh node to hold and verify the current checkpoint
 * (sources from the chain, genesis, the head found by election and exact key, its signer checked
 * against chain state, the links it needs walked back, the parameters of the newest three downloaded
 * and hash-checked) when the run is 100 and 1,000 windows old. The history is real: an in-process
 * devnet elects each window's aggregator, which signs and publishes the checkpoint into its bucket on
 * a real S3 server, under the aggregator's retention rule. The chain is read through a wrapper that,
 * like a public lite node, refuses state older than 256 blocks. Baseline, in the same run: reading every
 * manifest back to genesis, the least a genesis-first follower reads. Small model (1×32): parameters
 * of the default model cost the aggregate bench's download_verify_s per checkpoint on top.
 * Prints one JSON line last.
 */
import { randomBytes } from 'node:crypto';
import { chainReader } from '@crucible/chain';
import { CheckpointFollower, checkpointSignerPolicy, getManifest, runConfigFor } from '@crucible/protocol';
import { PeerStores } from '@crucible/storage';
import { followerSources } from '../src/neuron/follow.js';
import { recentStateOnly } from '../src/testing/liteChain.js';
import { startLongHistory, type LongHistory } from '../src/testing/longHistory.js';
import { benchServices } from './benchSupport.js';

const BPW = 2;
const REPS = 3;

/** Median seconds for a fresh follower (new clients, nothing held) to hold the newest checkpoint. */
async function join(history: LongHistory): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const peers = new PeerStores({ policy: { allowPrivateEndpoints: true } });
    const lite = recentStateOnly(chainReader(history.client), 256);
    const started = performance.now();
    const sources = await followerSources(history.client, history.netuid, peers);
    const follower = new CheckpointFollower({ policy: checkpointSignerPolicy(lite, history.netuid), keep: 3 });
    const result = await follower.sync(sources);
    const seconds = (performance.now() - started) / 1000;
    peers.close();
    const head = follower.head();
    if (head?.manifest.paramsHash !== history.published.at(-1)!.manifest.paramsHash || result.rejected.length > 0 || lite.refused > 0) {
      throw new Error(`join did not reach the newest checkpoint: ${JSON.stringify({ head: head?.manifest.window, rejected: result.rejected, transient: result.transient })}`);
    }
    times.push(seconds);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPS / 2)]!;
}

/** Seconds to read and verify every manifest from the newest back to genesis. */
async function genesisWalk(history: LongHistory): Promise<number> {
  const started = performance.now();
  const byWindow = new Map(history.published.map((p, i) => [p.manifest.window, history.validators.find((v) => v.key.address === history.signers[i])!.store]));
  for (const p of [...history.published].reverse()) {
    const found = await getManifest(byWindow.get(p.manifest.window)!, p.manifest.window);
    if (found?.signed.manifest.paramsHash !== p.manifest.paramsHash) throw new Error(`manifest of window ${p.manifest.window} is missing`);
  }
  return (performance.now() - started) / 1000;
}

const services = await benchServices();
let history: LongHistory | undefined;
try {
  let t = performance.now();
  history = await startLongHistory({
    tag: `bench-join-${randomBytes(3).toString('hex')}`,
    run: (netuid) =>
      runConfigFor({
        netuid,
        trainPages: 100,
        model: { nLayer: 1, nEmbd: 32, nHead: 2, blockSize: 32 },
        initSeed: 3,
        overrides: { corpus: { pageSize: 256 }, window: { blocksPerWindow: BPW }, codec: { tileSize: 16, chunkSize: 256, topK: 32, bits: 4 } },
      }),
    storage: services.storage,
    retention: { keepCheckpoints: 5, snapshotEvery: 100 },
  });
  await history.extend(100);
  console.log(`history of 100 windows built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const join100 = await join(history);
  const walk100 = await genesisWalk(history);
  console.log(`100 windows: join ${join100.toFixed(3)} s (median of ${REPS}); every manifest back to genesis ${walk100.toFixed(3)} s`);
  t = performance.now();
  await history.handOver();
  await history.extend(900);
  console.log(`history extended to 1000 windows (aggregation handed over at window 100) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const join1000 = await join(history);
  const walk1000 = await genesisWalk(history);
  console.log(`1000 windows: join ${join1000.toFixed(3)} s (median of ${REPS}); every manifest back to genesis ${walk1000.toFixed(3)} s`);
  console.log('goal: join_s <= 10, join_s / join_s_100 <= 1.5; 2 cores shared with other jobs');
  const r = (x: number) => Number(x.toFixed(3));
  console.log(JSON.stringify({ bench: 'join', history_windows: 1000, join_s: r(join1000), join_s_100: r(join100), ratio: r(join1000 / join100), genesis_walk_s: r(walk1000) }));
} finally {
  await history?.close();
  await services.close();
}
