import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, windowStartBlock } from '@crucible/core';
import { blockHashAt, consensusStake, genesisHash, readElectionState, removeStake } from '@crucible/chain';
import { createErrorFeedback, type ErrorFeedback } from '@crucible/codec';
import { paramTable, type Corpus } from '@crucible/model';
import { pickBaseWindow, windowSeed, type RunConfig } from '@crucible/protocol';
import { PeerStores } from '@crucible/storage';
import { waitForBlock } from '../testing/waitForBlock.js';
import { chainWithSigners, createFollower, syncFollower } from '../neuron/follow.js';
import { startValidator, type ValidatorHandle, type WindowReport } from '../startValidator.js';
import { tinyCorpus, tinyRun } from '../testing/fixtures.js';
import { UpdateFactory, uploadSealed, type MinerBase } from '../testing/simulatedMiner.js';
import { startTestSubnet, type TestSubnet } from '../testing/testSubnet.js';

/**
 * Two validators on one subnet: the top-staked one aggregates, the other follows; withdrawing the
 * first's stake moves aggregation to the second, and the checkpoint chain stays linear.
 */
const BLOCK_MS = 800;
const BPW = 10;
let subnet: TestSubnet;
let corpus: Corpus;
let run: RunConfig;
let factory: UpdateFactory;
const handles: ValidatorHandle[] = [];
const reports = new Map<string, WindowReport[]>();

beforeAll(async () => {
  corpus = await tinyCorpus();
  subnet = await startTestSubnet({
    tag: `h${randomBytes(3).toString('hex')}`,
    blockTimeMs: BLOCK_MS,
    run: (netuid) => tinyRun(netuid, { trainPages: corpus.trainPageCount, blocksPerWindow: BPW }),
    validators: [
      { name: 'first', stakeTao: 500 },
      { name: 'second', stakeTao: 100 },
    ],
    miners: ['m1', 'm2', 'm3'],
  });
  run = tinyRun(subnet.netuid, { trainPages: corpus.trainPageCount, blocksPerWindow: BPW });
  factory = await UpdateFactory.create(run, corpus);
});

afterAll(async () => {
  for (const h of handles) await h.close();
  await factory?.close();
  await subnet?.close();
});

describe('aggregation across validators', () => {
  it('advances the checkpoint every window, followers hold the same parameters, and stake moves aggregation without a fork', async () => {
    const { client, netuid } = subnet;
    const quiet = process.env['CRUCIBLE_DEBUG_LOG'] ? createLogger({ name: 'validator', level: 'debug', format: 'json' }) : createLogger({ name: 'validator', level: 'error', format: 'json', write: () => {} });
    for (const v of subnet.validators) {
      reports.set(v.name, []);
      handles.push(await startValidator(subnet.validatorConfig(v), { hotkey: v.key, logger: quiet, onWindow: (r) => reports.get(v.name)!.push(r) }));
    }
    const [first, second] = subnet.validators as [(typeof subnet.validators)[0], (typeof subnet.validators)[0]];
    const feedback = new Map<string, ErrorFeedback>(subnet.miners.map((m) => [m.name, createErrorFeedback(paramTable(run.model))]));
    const { follower, policy } = createFollower(client, netuid);
    // The test S3 server is on loopback.
    const peers = new PeerStores({ policy: { allowPrivateEndpoints: true } });
    const start = subnet.genesisWindow + 2;
    const windows = 5;
    for (let u = start; u < start + windows; u++) {
      await waitForBlock(client, windowStartBlock(u, BPW));
      const seed = windowSeed({ genesisHash: genesisHash(client), netuid, window: u, windowBlockHash: await blockHashAt(client, windowStartBlock(u, BPW)) });
      await syncFollower(client, netuid, follower, peers);
      const held = follower.held(pickBaseWindow(follower.manifests().map((m) => m.window), u)!)!;
      const base: MinerBase = { params: held.checkpoint.params, paramsHash: held.manifest.paramsHash };
      const reveals: Array<() => Promise<void>> = [];
      for (const m of subnet.miners) {
        const delta = await factory.train(base, { windowSeed: seed, window: u, hotkey: m.key.address });
        reveals.push(await uploadSealed(m.store, u, m.key.address, factory.encode(delta, { window: u, base, signer: m.key, feedback: feedback.get(m.name)! })));
      }
      if (u === start + 1) {
        // The first validator's stake holder unstakes all of it (as from an explorer): the second
        // now has the most stake, and aggregation moves to it without a fork.
        const stake = await consensusStake(client, netuid);
        const uid = (await readElectionState(client, netuid)).hotkeys.indexOf(first.key.address);
        await removeStake(client, first.coldkey, first.key.address, netuid, stake.alpha[uid]!);
      }
      await waitForBlock(client, windowStartBlock(u + 1, BPW));
      await Promise.all(reveals.map((r) => r()));
    }
    const last = start + windows - 1;
    for (let i = 0; i < 120 && !(reports.get('first')!.some((r) => r.window === last) && reports.get('second')!.some((r) => r.window === last)); i++) {
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 1500));
    await syncFollower(client, netuid, follower, peers);
    const chain = await chainWithSigners(follower, policy);
    const published = chain.slice(1);
    // One checkpoint per window, each the child of the one before: linear across the hand-over.
    expect(published.map((c) => c.manifest.window)).toEqual(Array.from({ length: published.length }, (_, i) => start + i));
    expect(published.length).toBeGreaterThanOrEqual(windows - 1);
    chain.slice(1).forEach((c, i) => expect(c.manifest.parentHash).toBe(chain[i]!.manifest.paramsHash));
    const signers = published.map((c) => c.signer);
    expect(signers[0]).toBe(first.key.address);
    expect(signers.at(-1)).toBe(second.key.address);
    const switchAt = signers.indexOf(second.key.address);
    expect(signers.slice(switchAt).every((s) => s === second.key.address)).toBe(true);
    // Validation loss falls as the model trains.
    const losses = published.map((c) => c.manifest.validationLoss!);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    // Both validators end holding the same head, the parameters verified against its hash: they sync at
    // the start of each window, so wait until both have rated the (empty) window after the last one.
    for (let i = 0; i < 120 && !handles.every((_, k) => reports.get(subnet.validators[k]!.name)!.some((r) => r.window === last + 1)); i++) {
      await new Promise((r) => setTimeout(r, 500));
    }
    const heads = handles.map((h) => h.head());
    expect(heads[0]?.paramsHash).toBe(follower.head()!.manifest.paramsHash);
    expect(heads[1]?.paramsHash).toBe(follower.head()!.manifest.paramsHash);
  }, 600_000);
});
