import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, CrucibleError, windowStartBlock } from '@crucible/core';
import { chainReader } from '@crucible/chain';
import { CheckpointFollower, checkpointSignerPolicy, type CheckpointSource, type SignerChain } from '@crucible/protocol';
import { checkpointManifestKey, checkpointParamsKey, PeerStores, type ObjectStore } from '@crucible/storage';
import { tinyCorpus, tinyRun, testStorage } from '../testing/fixtures.js';
import { recentStateOnly } from '../testing/liteChain.js';
import { startLongHistory, type LongHistory } from '../testing/longHistory.js';
import { followerSources } from './follow.js';
import { restoreFollower, saveFollowState } from './followState.js';

/**
 * Joining a long-running subnet: a real devnet whose chain state elects every checkpoint's signer, a
 * history of 300 windows of real signed checkpoints in the elected validators' buckets on the S3
 * server (with a hand-over of aggregation half way and the aggregator's retention applied), and
 * followers that start from nothing, from a restart, through failures, against a node that keeps only
 * 256 blocks of state.
 */
const BPW = 4;
const HISTORY = 300;
let history: LongHistory;
let peers: PeerStores;
const logLines: string[] = [];
const logger = createLogger({ name: 'follower', level: 'debug', format: 'json', write: (l) => logLines.push(l) });

beforeAll(async () => {
  const corpus = await tinyCorpus();
  history = await startLongHistory({
    tag: `j${randomBytes(3).toString('hex')}`,
    run: (netuid) => tinyRun(netuid, { trainPages: corpus.trainPageCount, blocksPerWindow: BPW }),
    storage: testStorage,
    retention: { keepCheckpoints: 5, snapshotEvery: 100 },
  });
  await history.extend(HISTORY / 2);
  await history.handOver();
  await history.extend(HISTORY / 2);
  peers = new PeerStores({ policy: { allowPrivateEndpoints: true } });
}, 600_000);

afterAll(async () => {
  peers?.close();
  await history?.close();
});

const newest = () => history.published.at(-1)!.manifest;
const follower = (chain: SignerChain, keep = 2) => new CheckpointFollower({ policy: checkpointSignerPolicy(chain, history.netuid), keep, retry: { baseDelayMs: 20 }, logger });

describe('joining a subnet 300 windows old', () => {
  it('the history is real: elections moved aggregation to the second validator, retention removed old parameters but kept every manifest', async () => {
    const [a, b] = history.validators;
    expect(history.signers[0]).toBe(a!.key.address);
    expect(history.signers.at(-1)).toBe(b!.key.address);
    expect(await a!.store.head(checkpointManifestKey(history.published[10]!.manifest.window))).toBeDefined();
    expect(await a!.store.head(checkpointParamsKey(history.published[10]!.manifest.window))).toBeUndefined();
    expect(await b!.store.head(checkpointParamsKey(newest().window))).toBeDefined();
  });

  it('a fresh follower against a node that keeps 256 blocks holds and verifies the newest checkpoint in seconds', async () => {
    const lite = recentStateOnly(chainReader(history.client), 256);
    // What a genesis-first follower would need is gone from this node: the first checkpoint's election.
    await expect(lite.electionState(history.netuid, windowStartBlock(history.genesis.manifest.window + 2, BPW))).rejects.toMatchObject({ code: 'CHAIN_RPC' });
    lite.refused = 0;
    const f = follower(lite);
    const started = performance.now();
    const result = await f.sync(await followerSources(history.client, history.netuid, peers));
    const seconds = (performance.now() - started) / 1000;
    expect(result.rejected).toEqual([]);
    expect(result.transient).toEqual([]);
    expect(f.head()!.manifest.paramsHash).toBe(newest().paramsHash);
    expect(f.head()!.signer).toBe(history.validators[1]!.key.address);
    expect(f.links().length).toBeLessThanOrEqual(4);
    expect(lite.refused).toBe(0);
    expect(lite.oldestRead).toBeGreaterThanOrEqual((await history.client.api.rpc.chain.getHeader()).number.toNumber() - 256);
    expect(seconds).toBeLessThan(10);
    console.log(`joined at window ${f.head()!.manifest.window} of a ${HISTORY}-window history in ${seconds.toFixed(2)} s`);
  });

  it('failed reads of buckets and of the chain delay the join but never refuse a good checkpoint', async () => {
    const real = chainReader(history.client);
    let chainFailures = 6;
    const flakyChain: SignerChain = {
      bestBlock: async () => (chainFailures-- > 0 ? Promise.reject(new CrucibleError('CHAIN_RPC', 'WebSocket is not connected (injected)')) : real.bestBlock()),
      subnetOwnerHotkey: (n) => real.subnetOwnerHotkey(n),
      electionState: async (n, b) => (chainFailures-- > 0 ? Promise.reject(new CrucibleError('CHAIN_RPC', 'connection reset (injected)')) : real.electionState(n, b)),
    };
    let storeFailures = 12;
    const flaky = (store: ObjectStore): ObjectStore => ({
      ...store,
      get: async (key, options) => (storeFailures-- > 0 ? Promise.reject(new CrucibleError('STORAGE', `get ${key} failed: ServiceUnavailable (HTTP 503, injected)`, { details: { status: 503 } })) : store.get(key, options)),
      list: async (prefix) => (storeFailures-- > 0 ? Promise.reject(new CrucibleError('STORAGE', 'list failed: SlowDown (HTTP 503, injected)', { details: { status: 503 } })) : store.list(prefix)),
    });
    const sources: CheckpointSource[] = (await followerSources(history.client, history.netuid, peers)).map((s) => ({ hotkey: s.hotkey, store: flaky(s.store) }));
    const f = follower(flakyChain);
    let syncs = 0;
    let transient = 0;
    while (!f.head() && syncs < 10) {
      const r = await f.sync(sources);
      syncs++;
      transient += r.transient.length;
      expect(r.rejected).toEqual([]);
    }
    expect(f.head()!.manifest.paramsHash).toBe(newest().paramsHash);
    expect(syncs).toBeGreaterThan(1);
    expect(transient).toBeGreaterThan(0);
    expect(logLines.some((l) => l.includes('checkpoint refused'))).toBe(false);
  });

  it('a restarted follower resumes from its saved state, and one offline longer than the node keeps state still catches up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-follow-'));
    const lite = recentStateOnly(chainReader(history.client), 256);
    const first = follower(lite);
    const sources = await followerSources(history.client, history.netuid, peers);
    await first.sync(sources);
    await saveFollowState(dir, first);

    const restarted = follower(lite);
    expect(await restoreFollower(dir, restarted, logger)).toBe(first.links().length);
    expect(restarted.head()!.manifest.paramsHash).toBe(first.head()!.manifest.paramsHash);
    await history.extend(3);
    const next = await restarted.sync(sources);
    expect(next.accepted.map((m) => m.window)).toEqual(history.published.slice(-3).map((p) => p.manifest.window));
    expect(restarted.links().at(-4)!.trust).toBe('saved');

    // Offline for 100 windows (400 blocks: more than the node keeps): its saved head's election is gone.
    const later = follower(lite);
    await restoreFollower(dir, later, logger);
    await history.extend(100);
    const caughtUp = await later.sync(sources);
    expect(caughtUp.rejected).toEqual([]);
    expect(later.head()!.manifest.paramsHash).toBe(newest().paramsHash);
    expect(lite.refused).toBe(0);
  });
});
