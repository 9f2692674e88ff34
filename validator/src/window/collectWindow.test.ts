import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, keypairFromUri, windowStartBlock, type Keypair } from '@crucible/core';
import { paramTable, type Corpus } from '@crucible/model';
import { sealUpdate, type RunConfig } from '@crucible/protocol';
import { ownBucket, sealedUpdateKey, sealKeyKey, type S3Store } from '@crucible/storage';
import { openOwnStore } from '../neuron/bucket.js';
import { testStorage, tinyCorpus, tinyRun } from '../testing/fixtures.js';
import { UpdateFactory } from '../testing/simulatedMiner.js';
import { BlockObserver } from './blockObserver.js';
import { collectWindow, type Miner } from './collectWindow.js';
import { maxSealedBytes, openUploads } from './openUploads.js';

/**
 * The collector against the real S3 server, with the chain's blocks driven by the test (a BlockObserver
 * fed by hand), so every timing rule is exercised deterministically: first seen before or after the
 * cutoff, a changed object, a key revealed in time or not, an endpoint that never answers.
 */
let run: RunConfig;
let corpus: Corpus;
let factory: UpdateFactory;
let store: S3Store;
let pointer: ReturnType<typeof ownBucket>['pointer'];
const base = { params: new Map<string, Float32Array>(), paramsHash: `0x${'12'.repeat(32)}` };
const keys: Keypair[] = [];

beforeAll(async () => {
  await cryptoReady();
  corpus = await tinyCorpus();
  run = tinyRun(1, { trainPages: corpus.trainPageCount, blocksPerWindow: 10 });
  factory = await UpdateFactory.create(run, corpus);
  const storage = testStorage('collect');
  store = (await openOwnStore(storage)).store;
  pointer = ownBucket(storage).pointer;
  for (let i = 0; i < 9; i++) keys.push(keypairFromUri(`//Collect/${randomBytes(2).toString('hex')}/${i}`));
});

afterAll(async () => {
  await factory?.close();
  store?.close();
});

const hang: S3Store = new Proxy({} as S3Store, { get: () => () => new Promise(() => undefined) });

function run9(blocks: BlockObserver, miners: Miner[], signal = new AbortController().signal) {
  return collectWindow({
    window: 9,
    run,
    blocks,
    miners: async () => miners,
    deadlineMiners: async () => miners,
    maxBytes: maxSealedBytes(run),
    pollIntervalMs: 100,
    lateGraceMs: 300,
    budget: { requestMs: 500, minerMs: 2000, minerBytes: 4 * maxSealedBytes(run), concurrency: 4 },
    signal,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('collecting a window\'s sealed uploads, as this validator sees them', () => {
  it('pins what it saw before the cutoff, calls the rest late or missing, and takes only keys revealed before the reveal block', async () => {
    const deadline = windowStartBlock(10, run.window.blocksPerWindow);
    const reveal = deadline + run.window.revealBlocks;
    const [onTime, changed, late, unrevealed, missing, unreachable] = keys as [Keypair, Keypair, Keypair, Keypair, Keypair, Keypair];
    const miners: Miner[] = [onTime, changed, late, unrevealed, missing].map((k, uid) => ({ uid, hotkey: k.address, pointer, store }));
    miners.push({ uid: 5, hotkey: unreachable.address, pointer, store: hang });
    const update = (k: Keypair, seed: string) => factory.encode(factory.noise(seed, 1e-3), { window: 9, base, signer: k });
    const sealOnTime = sealUpdate(update(onTime, 'a'));
    const sealChangedFirst = sealUpdate(update(changed, 'b1'));
    const sealChangedSecond = sealUpdate(update(changed, 'b2'));
    const sealLate = sealUpdate(update(late, 'c'));
    const sealUnrevealed = sealUpdate(update(unrevealed, 'd'));

    const blocks = new BlockObserver();
    blocks.observe(deadline - 5);
    await store.put(sealedUpdateKey(9, onTime.address), sealOnTime.sealed);
    await store.put(sealedUpdateKey(9, changed.address), sealChangedFirst.sealed);
    await store.put(sealedUpdateKey(9, unrevealed.address), sealUnrevealed.sealed);
    const collecting = run9(blocks, miners);
    await sleep(400);
    // Changed before the deadline: the newer bytes are the upload.
    await store.put(sealedUpdateKey(9, changed.address), sealChangedSecond.sealed);
    await sleep(400);
    blocks.observe(deadline);
    await sleep(900);
    // After the cutoff (deadline seen + 300 ms): late, whatever the server says about it.
    await store.put(sealedUpdateKey(9, late.address), sealLate.sealed);
    await store.put(sealKeyKey(9, onTime.address), sealOnTime.key);
    await store.put(sealKeyKey(9, changed.address), sealChangedSecond.key);
    await store.put(sealKeyKey(9, late.address), sealLate.key);
    await sleep(400);
    blocks.observe(reveal);
    await store.put(sealKeyKey(9, unrevealed.address), sealUnrevealed.key);
    const collected = await collecting;

    expect(collected.observed).toBe(true);
    const byUid = new Map(collected.miners.map((m) => [m.uid, m]));
    expect(byUid.get(0)).toMatchObject({ status: 'on_time', keyDetail: 'revealed' });
    expect(byUid.get(1)).toMatchObject({ status: 'on_time' });
    expect(byUid.get(2)).toMatchObject({ status: 'late' });
    expect(byUid.get(3)).toMatchObject({ status: 'on_time', key: undefined });
    expect(byUid.get(4)).toMatchObject({ status: 'missing' });
    expect(byUid.get(5)).toMatchObject({ status: 'unavailable', detail: expect.stringMatching(/took longer than \d+ ms|budget/) });

    const { uploads, refusals } = openUploads(collected, { table: paramTable(run.model), codec: run.codec });
    expect(uploads.map((u) => u.hotkey)).toEqual([onTime.address, changed.address]);
    const changedUpload = uploads[1]!;
    expect(changedUpload.update.header.window).toBe(9);
    // The second version was pinned: it opens with the second key (the first key would not open it).
    expect(Buffer.from(changedUpload.bytes).equals(Buffer.from(update(changed, 'b2')))).toBe(false); // signatures are randomised
    expect(refusals.map((r) => [r.uid, r.reason])).toEqual([
      [2, 'late'],
      [3, 'missing'],
      [4, 'missing'],
      [5, 'unavailable'],
    ]);
  });

  it('does not judge a window it started watching after the deadline', async () => {
    const deadline = windowStartBlock(10, run.window.blocksPerWindow);
    const blocks = new BlockObserver();
    blocks.observe(deadline + run.window.revealBlocks);
    const collected = await run9(blocks, [{ uid: 0, hotkey: keys[0]!.address, pointer, store }]);
    expect(collected.observed).toBe(false);
  });

  it('refuses a wrong key, a garbled seal and a foreign signature with reasons, and never throws', async () => {
    const deadline = windowStartBlock(10, run.window.blocksPerWindow);
    const window = 9;
    const [a, b, c] = keys.slice(6) as [Keypair, Keypair, Keypair];
    const good = sealUpdate(factory.encode(factory.noise('x', 1e-3), { window, base, signer: a }));
    const foreign = sealUpdate(factory.encode(factory.noise('y', 1e-3), { window, base, signer: keys[4]! }));
    const garbled = randomBytes(5000);
    const miners: Miner[] = [a, b, c].map((k, uid) => ({ uid, hotkey: k.address, pointer, store }));
    await store.put(sealedUpdateKey(window, a.address), good.sealed);
    await store.put(sealedUpdateKey(window, b.address), foreign.sealed);
    await store.put(sealedUpdateKey(window, c.address), garbled);
    const blocks = new BlockObserver();
    blocks.observe(deadline - 3);
    // Keys put before the deadline are read after it, like ones put just after it.
    await store.put(sealKeyKey(window, a.address), randomBytes(32));
    await store.put(sealKeyKey(window, b.address), foreign.key);
    const collecting = run9(blocks, miners);
    await sleep(300);
    blocks.observe(deadline);
    await sleep(600);
    blocks.observe(deadline + run.window.revealBlocks);
    const collected = await collecting;
    const { uploads, refusals } = openUploads(collected, { table: paramTable(run.model), codec: run.codec });
    expect(uploads).toEqual([]);
    const reasons = Object.fromEntries(refusals.map((r) => [r.uid, `${r.reason}: ${r.detail}`]));
    expect(reasons[0]).toMatch(/^missing: .*does not match the committed hash/);
    expect(reasons[1]).toMatch(/^invalid: SIGNER_MISMATCH/);
    expect(reasons[2]).toMatch(/^invalid: BAD_MAGIC/);
  });
});
