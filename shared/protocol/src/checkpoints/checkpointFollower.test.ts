import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { initParams, type Checkpoint } from '@crucible/model';
import { checkpointParamsKey, createMemoryStore, type ObjectStore } from '@crucible/storage';
import { CheckpointFollower } from './checkpointFollower.js';
import type { SignerPolicy } from './signerPolicy.js';
import { publishCheckpoint, type PublishedCheckpoint } from './checkpointStore.js';
import { decodeManifest, encodeManifest } from './manifest.js';
import { testRunConfig } from '../run/testRun.js';

const run = testRunConfig();
let owner: Keypair;
let alice: Keypair;
let bob: Keypair;

beforeAll(async () => {
  await cryptoReady();
  owner = keypairFromUri('//Owner');
  alice = keypairFromUri('//Alice');
  bob = keypairFromUri('//Bob');
});

function checkpoint(seed: number): Checkpoint {
  return { config: run.model, params: initParams(run.model, seed), metadata: {} };
}

/** Alice is the top-staked validator up to window 3's election, Bob from then on; the owner signs genesis. */
const policy: SignerPolicy = {
  async authorizedSigner(manifest) {
    if (manifest.parentHash === null) return owner.address;
    return manifest.window < 3 ? alice.address : bob.address;
  },
};

async function publish(store: ObjectStore, signer: Keypair, window: number, parent: PublishedCheckpoint | undefined, seed: number) {
  return publishCheckpoint(
    store,
    checkpoint(seed),
    {
      netuid: run.netuid,
      window,
      parentHash: parent ? parent.manifest.paramsHash : null,
      parentWindow: parent ? parent.manifest.window : null,
      contributors: [],
      validationLoss: null,
      run,
    },
    signer,
  );
}

describe('following the chain of checkpoints', () => {
  it('accepts genesis then each child signed by the window\'s top validator, across a hand-over', async () => {
    const ownerStore = createMemoryStore();
    const aliceStore = createMemoryStore();
    const bobStore = createMemoryStore();
    const genesis = await publish(ownerStore, owner, 0, undefined, 1);
    const c1 = await publish(aliceStore, alice, 1, genesis, 2);
    const c2 = await publish(aliceStore, alice, 2, c1, 3);
    const c3 = await publish(bobStore, bob, 3, c2, 4);
    const sources = [
      { hotkey: owner.address, store: ownerStore },
      { hotkey: alice.address, store: aliceStore },
      { hotkey: bob.address, store: bobStore },
    ];
    const follower = new CheckpointFollower({ policy, keep: 2 });
    const result = await follower.sync(sources);
    expect(result.rejected).toEqual([]);
    expect(result.accepted.map((m) => m.window)).toEqual([0, 1, 2, 3]);
    expect(follower.head()!.manifest.paramsHash).toBe(c3.manifest.paramsHash);
    expect(follower.head()!.checkpoint.params.get('wte.weight')).toEqual(checkpoint(4).params.get('wte.weight'));
    // Parameters are kept only for the newest two.
    expect(follower.held(1)).toBeUndefined();
    expect(follower.held(2)).toBeDefined();
    // A second sync finds nothing new.
    expect((await follower.sync(sources)).accepted).toEqual([]);
  });

  it('refuses a checkpoint signed by a validator that is not the top-staked one, and keeps the last good one', async () => {
    const ownerStore = createMemoryStore();
    const bobStore = createMemoryStore();
    const genesis = await publish(ownerStore, owner, 0, undefined, 1);
    await publish(bobStore, bob, 1, genesis, 9); // window 1 belongs to Alice
    const follower = new CheckpointFollower({ policy });
    const result = await follower.sync([
      { hotkey: owner.address, store: ownerStore },
      { hotkey: bob.address, store: bobStore },
    ]);
    expect(result.accepted.map((m) => m.window)).toEqual([0]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.reason).toMatch(/must be signed by 5Grw/);
    expect(follower.head()!.manifest.window).toBe(0);
  });

  it('refuses parameters altered after signing, a forked parent and a tampered manifest', async () => {
    const ownerStore = createMemoryStore();
    const aliceStore = createMemoryStore();
    const genesis = await publish(ownerStore, owner, 0, undefined, 1);
    const c1 = await publish(aliceStore, alice, 1, genesis, 2);
    // Window 2 claims a parent that is not window 1's checkpoint: a fork.
    await publishCheckpoint(
      aliceStore,
      checkpoint(5),
      { netuid: 1, window: 2, parentHash: genesis.manifest.paramsHash, parentWindow: 0, contributors: [], validationLoss: null, run },
      alice,
    );
    const follower = new CheckpointFollower({ policy });
    const sources = [
      { hotkey: owner.address, store: ownerStore },
      { hotkey: alice.address, store: aliceStore },
    ];
    const first = await follower.sync(sources);
    expect(first.accepted.map((m) => m.window)).toEqual([0, 1]);
    expect(first.rejected.map((r) => [r.window, r.reason])).toEqual([[2, expect.stringContaining('is not the held chain')]]);

    // Window 2 again, correctly linked, but its parameters are swapped after signing.
    const honest2 = await publish(aliceStore, alice, 2, c1, 6);
    expect(honest2.paramsKey).toBe(checkpointParamsKey(2));
    const tamperedBody = (await aliceStore.get(honest2.paramsKey, { maxBytes: 1e9 })).body.slice();
    tamperedBody[tamperedBody.length - 1]! ^= 0x40;
    await aliceStore.put(honest2.paramsKey, tamperedBody);
    const follower2 = new CheckpointFollower({ policy });
    const second = await follower2.sync(sources);
    expect(second.accepted.map((m) => m.window)).toEqual([0, 1]);
    expect(second.rejected.some((r) => r.window === 2 && /hash to/.test(r.reason))).toBe(true);
    expect(follower2.head()!.manifest.window).toBe(1);

    // A manifest edited after signing fails its signature check.
    const bytes = encodeManifest(c1.manifest, alice);
    const edited = Buffer.from(bytes);
    edited[60] = edited[60]! ^ 1;
    expect(() => decodeManifest(edited)).toThrow(expect.objectContaining({ code: 'WIRE_FORMAT' }));
  });

  it('catches up from an adopted older checkpoint along the chain of parents', async () => {
    const ownerStore = createMemoryStore();
    const aliceStore = createMemoryStore();
    const genesis = await publish(ownerStore, owner, 0, undefined, 1);
    const c1 = await publish(aliceStore, alice, 1, genesis, 2);
    await publish(aliceStore, alice, 2, c1, 3);
    const follower = new CheckpointFollower({ policy });
    follower.adopt({ manifest: c1.manifest, signer: alice.address, checkpoint: checkpoint(2) });
    const result = await follower.sync([{ hotkey: alice.address, store: aliceStore }]);
    expect(result.accepted.map((m) => m.window)).toEqual([2]);
  });
});
