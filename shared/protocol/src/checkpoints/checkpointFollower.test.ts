import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { encodeCheckpoint } from '@crucible/model';
import { checkpointManifestKey, checkpointParamsKey } from '@crucible/storage';
import { testRunConfig } from '../run/testRun.js';
import { CheckpointFollower, type CheckpointSource } from './checkpointFollower.js';
import { publishCheckpoint, type PublishedCheckpoint } from './checkpointStore.js';
import { checkpointSignerPolicy } from './signerPolicy.js';
import { checkpointOf, countingStore, publishHistory, testChain, type CountingStore, type TestChain } from './testing/followerFixtures.js';

const run = testRunConfig(); // 5 blocks per window
const BPW = run.window.blocksPerWindow;
let owner: Keypair;
let alice: Keypair;
let bob: Keypair;
let mallory: Keypair;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeAll(async () => {
  await cryptoReady();
  owner = keypairFromUri('//Owner');
  alice = keypairFromUri('//Alice');
  bob = keypairFromUri('//Bob');
  mallory = keypairFromUri('//Mallory');
});

/** Alice is elected up to block 100 (window 19's election), Bob from then on. */
const handOver = (block: number) => (block < 100 ? alice.address : bob.address);

async function subnet(o: { windows: number[]; best: number; signerAt?: (block: number) => string; depth?: number }) {
  const signerAt = o.signerAt ?? (() => alice.address);
  const stores = new Map<string, CountingStore>();
  const keys = new Map([alice, bob, mallory].map((k) => [k.address, k]));
  const published = await publishHistory({ run, owner, stores, keys, genesisWindow: 1, windows: o.windows, signerAt });
  for (const k of [owner, alice, bob, mallory]) if (!stores.has(k.address)) stores.set(k.address, countingStore());
  const chain = testChain({ owner: owner.address, best: o.best, signerAt, ...(o.depth !== undefined ? { depth: o.depth } : {}) });
  const sources: CheckpointSource[] = [...stores].map(([hotkey, store]) => ({ hotkey, store }));
  const follower = (options: { keep?: number; links?: number } = {}) => new CheckpointFollower({ policy: checkpointSignerPolicy(chain, 1), retry: { baseDelayMs: 1 }, ...options });
  return { stores, chain, sources, published, follower, store: (k: Keypair) => stores.get(k.address)! };
}

const windowsOf = (ms: readonly { window: number }[]) => ms.map((m) => m.window);
const resetCounts = (stores: Map<string, CountingStore>) => stores.forEach((s) => ((s.gets = []), (s.lists = 0)));

describe('joining: a fresh follower starts from the newest checkpoint it can trust', () => {
  it('finds the head by election and exact key, walks back only the links it needs and downloads only the newest parameters', async () => {
    const s = await subnet({ windows: range(2, 300), best: 302 * BPW + 2 });
    const f = s.follower({ keep: 2, links: 4 });
    const result = await f.sync(s.sources);
    expect(result.rejected).toEqual([]);
    expect(windowsOf(result.accepted)).toEqual([297, 298, 299, 300]);
    expect(f.head()!.manifest.paramsHash).toBe(s.published.at(-1)!.manifest.paramsHash);
    expect(f.head()!.checkpoint.params.get('wte.weight')).toEqual(checkpointOf(run, 400).params.get('wte.weight'));
    expect(f.held(299)).toBeDefined();
    expect(f.held(298)).toBeUndefined();
    expect(f.links().map((l) => l.trust)).toEqual(['linked', 'linked', 'linked', 'elected']);
    // Alice's bucket (300 checkpoints) is never listed; only the owner's is, once, to read genesis.
    expect(s.store(alice).lists).toBe(0);
    expect(s.store(owner).lists).toBe(1);
    // Window 301's checkpoint is not published yet (one GET), then 300's manifest, three parents, two parameter files.
    expect(s.store(alice).gets).toEqual([301, 300, 299, 298, 297].map(checkpointManifestKey).concat([300, 299].map(checkpointParamsKey)));
    expect(s.chain.reads).toEqual([302 * BPW, 301 * BPW]);
  });

  it('checks the head\'s signer against the election at its own block, and follows parents across a hand-over of buckets', async () => {
    const s = await subnet({ windows: range(2, 24), best: 25 * BPW + 1, signerAt: handOver });
    const f = s.follower({ keep: 2, links: 8 });
    const result = await f.sync(s.sources);
    expect(result.rejected).toEqual([]);
    expect(windowsOf(result.accepted)).toEqual(range(17, 24));
    // Windows up to 18 were Alice's (election block < 100), from 19 on Bob's.
    expect(f.links().map((l) => [l.manifest.window, l.signer === alice.address ? 'alice' : 'bob'])).toEqual(range(17, 24).map((w) => [w, w < 19 ? 'alice' : 'bob']));
    expect(f.links().find((l) => l.manifest.window === 18)!.source).toBe(alice.address);
  });

  it('holds genesis when no checkpoint followed it', async () => {
    const s = await subnet({ windows: [], best: 9 * BPW });
    const f = s.follower();
    const result = await f.sync(s.sources);
    expect(windowsOf(result.accepted)).toEqual([1]);
    expect(f.head()!.signer).toBe(owner.address);
    expect(f.links()[0]!.trust).toBe('genesis');
  });

  it('takes each next checkpoint with one election read and one GET per new window', async () => {
    const s = await subnet({ windows: range(2, 10), best: 11 * BPW });
    const f = s.follower({ keep: 2 });
    await f.sync(s.sources);
    const next = await publishCheckpoint(s.store(alice), checkpointOf(run, 111), { netuid: 1, window: 11, parentHash: s.published.at(-1)!.manifest.paramsHash, parentWindow: 10, contributors: [], validationLoss: null, run }, alice);
    s.chain.best = 12 * BPW;
    s.chain.reads = [];
    resetCounts(s.stores);
    const result = await f.sync(s.sources);
    expect(windowsOf(result.accepted)).toEqual([11]);
    expect(f.head()!.manifest.paramsHash).toBe(next.manifest.paramsHash);
    expect(s.chain.reads).toEqual([12 * BPW]);
    expect(s.store(alice).gets).toEqual([checkpointManifestKey(11), checkpointParamsKey(11)]);
    expect(windowsOf(f.manifests()).slice(-3)).toEqual([9, 10, 11]);
  });
});

describe('archive-free: a chain that keeps only recent state', () => {
  it('joins a run hundreds of windows old while every election older than 256 blocks is refused', async () => {
    // No checkpoint in the last ten windows (no miners for a while): the search reads ten elections back.
    const s = await subnet({ windows: range(2, 390), best: 401 * BPW + 3, depth: 256 });
    const f = s.follower({ keep: 2 });
    const result = await f.sync(s.sources);
    expect(result.transient).toEqual([]);
    expect(f.head()!.manifest.window).toBe(390);
    expect(s.chain.reads).toHaveLength(11);
    expect(Math.min(...s.chain.reads)).toBeGreaterThanOrEqual(s.chain.best - 256);
  });

  it('falls back to one bounded listing when the newest checkpoint is older than the horizon (a stalled subnet)', async () => {
    const s = await subnet({ windows: range(2, 20), best: 200 * BPW });
    const f = s.follower({ keep: 1 });
    await f.sync(s.sources);
    expect(f.head()!.manifest.window).toBe(20);
    expect(s.store(alice).lists).toBe(1);
  });
});

describe('forgeries are refused with their reason; failures are only delays', () => {
  it('refuses a head signed by a key the chain did not elect, and follows the newest good one', async () => {
    const s = await subnet({ windows: range(2, 12), best: 14 * BPW });
    const last = s.published.at(-1)!;
    await publishCheckpoint(s.store(alice), checkpointOf(run, 999), { ...last.manifest, window: 13, parentHash: last.manifest.paramsHash, parentWindow: 12 }, mallory);
    const f = s.follower();
    const result = await f.sync(s.sources);
    expect(result.rejected).toEqual([{ source: alice.address, window: 13, reason: expect.stringMatching(new RegExp(`signed by ${mallory.address}, but window 13's checkpoint must be signed by 5Grw`)) }]);
    expect(f.head()!.manifest.window).toBe(12);
    // Refused for good: not read again.
    resetCounts(s.stores);
    await f.sync(s.sources);
    expect(s.store(alice).gets).not.toContain(checkpointManifestKey(13));
  });

  it('refuses parameters altered after signing, keeps the last good head, and takes the one before next sync', async () => {
    const s = await subnet({ windows: range(2, 12), best: 13 * BPW });
    const altered = await s.store(alice).get(checkpointParamsKey(12), { maxBytes: 1e9 });
    const body = altered.body.slice();
    body[body.length - 1]! ^= 0x40;
    await s.store(alice).put(checkpointParamsKey(12), body);
    const f = s.follower();
    const first = await f.sync(s.sources);
    expect(first.rejected.map((r) => [r.window, r.reason])).toEqual([[12, expect.stringMatching(/hash to 0x[0-9a-f]+, the manifest says/)]]);
    expect(f.head()).toBeUndefined();
    await f.sync(s.sources);
    expect(f.head()!.manifest.window).toBe(11);
  });

  it('refuses a parent whose parameters hash is not the one its child names', async () => {
    const s = await subnet({ windows: range(2, 12), best: 13 * BPW });
    // Window 10's manifest in Alice's bucket is replaced by another, correctly signed, checkpoint.
    const nine = s.published.find((p) => p.manifest.window === 9)!;
    await publishCheckpoint(s.store(alice), checkpointOf(run, 555), { ...nine.manifest, window: 10, parentHash: nine.manifest.paramsHash, parentWindow: 9 }, alice);
    const f = s.follower({ links: 4 });
    const result = await f.sync(s.sources);
    expect(result.rejected.map((r) => [r.window, r.reason])).toEqual([[10, expect.stringMatching(/names 0x[0-9a-f]+: not the parent/)]]);
    expect(windowsOf(f.manifests())).toEqual([11, 12]);
    expect(f.head()!.manifest.window).toBe(12);
  });

  it('retries failed reads with backoff, reports what still fails, and never refuses it', async () => {
    const s = await subnet({ windows: range(2, 30), best: 31 * BPW + 1 });
    s.chain.failNext = 3; // the first election read fails three times, then succeeds within the sync
    const f = s.follower({ keep: 2 });
    const first = await f.sync(s.sources);
    expect(first.rejected).toEqual([]);
    expect(f.head()!.manifest.window).toBe(30);
    // A bucket failing longer than one sync's retries delays the next checkpoint by a sync, no more.
    await publishCheckpoint(s.store(alice), checkpointOf(run, 131), { netuid: 1, window: 31, parentHash: s.published.at(-1)!.manifest.paramsHash, parentWindow: 30, contributors: [], validationLoss: null, run }, alice);
    s.chain.best = 32 * BPW;
    s.store(alice).failNext = 6;
    const second = await f.sync(s.sources);
    expect(second.rejected).toEqual([]);
    expect(second.transient.length).toBeGreaterThan(0);
    expect(f.head()!.manifest.window).toBe(30);
    const third = await f.sync(s.sources);
    expect(windowsOf(third.accepted)).toEqual([31]);
  });
});

describe('persisted follow state', () => {
  it('a restarted follower resumes offline from what it saved, and refuses saved parameters that were altered', async () => {
    const s = await subnet({ windows: range(2, 40), best: 41 * BPW });
    const f = s.follower({ keep: 2 });
    await f.sync(s.sources);
    const saved = f.saved();
    expect(saved.map((l) => l.checkpoint !== undefined)).toEqual([false, false, true, true]);
    const restarted = s.follower({ keep: 2 });
    expect(restarted.restore(saved)).toBe(4);
    expect(restarted.head()!.manifest.paramsHash).toBe(f.head()!.manifest.paramsHash);
    expect(restarted.links().every((l) => l.trust === 'saved')).toBe(true);
    // Resuming reads nothing the held chain already has (window 40 is still the newest).
    s.chain.reads = [];
    resetCounts(s.stores);
    expect((await restarted.sync(s.sources)).accepted).toEqual([]);
    expect(s.store(alice).gets).toEqual([]);
    // A head whose saved parameters no longer hash to its manifest is dropped; the links before it stay.
    const tampered = saved.map((l, i) => (i === 3 ? { ...l, checkpoint: checkpointOf(run, 7) } : l));
    const other = s.follower({ keep: 2 });
    expect(other.restore(tampered)).toBe(3);
    expect(other.head()!.manifest.window).toBe(39);
  });

  it('the chain a node adopts (its own checkpoint) is what a later sync extends', async () => {
    const s = await subnet({ windows: range(2, 5), best: 7 * BPW });
    const f = s.follower();
    await f.sync(s.sources);
    const own: PublishedCheckpoint = await publishCheckpoint(s.store(alice), checkpointOf(run, 66), { netuid: 1, window: 6, parentHash: f.head()!.manifest.paramsHash, parentWindow: 5, contributors: [], validationLoss: null, run }, alice);
    f.adopt({ manifest: own.manifest, signer: alice.address, checkpoint: checkpointOf(run, 66), bytes: own.manifestBytes });
    expect(f.head()!.manifest.window).toBe(6);
    expect(f.links().at(-1)!.trust).toBe('own');
    expect(windowsOf(f.manifests()).slice(-2)).toEqual([5, 6]);
  });

  it('walks further back through parents for an old window (replay), without chain state', async () => {
    const s = await subnet({ windows: range(2, 60), best: 61 * BPW, depth: 256 });
    const f = s.follower({ keep: 1, links: 2 });
    await f.sync(s.sources);
    expect(windowsOf(f.manifests())).toEqual([59, 60]);
    s.chain.reads = [];
    const back = await f.extendBack(s.sources, 12);
    expect(windowsOf(back.accepted)).toEqual(range(11, 58));
    expect(s.chain.reads).toEqual([]);
    expect(encodeCheckpoint(f.head()!.checkpoint).length).toBeGreaterThan(0);
  });
});
