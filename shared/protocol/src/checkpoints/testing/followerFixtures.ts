/**
 * Fixtures for the follower's unit tests (not exported from the package): a chain whose election is a
 * function of the block, that can refuse state older than a lite node keeps, stores that count their
 * reads and fail on demand, and a signed history of checkpoints published into per-signer buckets.
 */
import { CrucibleError, type Keypair } from '@crucible/core';
import { initParams, type Checkpoint } from '@crucible/model';
import { createMemoryStore, type ObjectStore } from '@crucible/storage';
import type { RunConfig } from '../../run/runConfig.js';
import { publishCheckpoint, type PublishedCheckpoint } from '../checkpointStore.js';
import type { SignerChain } from '../signerPolicy.js';

export interface TestChain extends SignerChain {
  best: number;
  /** Election blocks read, in order. */
  reads: number[];
  /** Elections fail this many more times (a flaky RPC node). */
  failNext: number;
}

/** A chain whose only permitted validator at `block` is `signerAt(block)`; state older than `depth` blocks is refused. */
export function testChain(o: { owner: string; best: number; signerAt: (block: number) => string; depth?: number }): TestChain {
  const chain: TestChain = {
    best: o.best,
    reads: [],
    failNext: 0,
    bestBlock: async () => chain.best,
    subnetOwnerHotkey: async () => o.owner,
    async electionState(_netuid, block) {
      if (chain.failNext > 0) {
        chain.failNext--;
        throw new CrucibleError('CHAIN_RPC', 'connection reset (injected)');
      }
      if (o.depth !== undefined && block < chain.best - o.depth) throw new CrucibleError('CHAIN_RPC', `state of block ${block} was discarded (lite node keeps ${o.depth} blocks)`);
      chain.reads.push(block);
      return { hotkeys: [o.signerAt(block)], stake: [1n], validatorPermit: [true] };
    },
  };
  return chain;
}

export interface CountingStore extends ObjectStore {
  gets: string[];
  lists: number;
  /** The next this-many GETs fail with a 503 (a flaky bucket). */
  failNext: number;
}

export function countingStore(inner: ObjectStore = createMemoryStore()): CountingStore {
  const store: CountingStore = {
    gets: [],
    lists: 0,
    failNext: 0,
    put: (key, body, options) => inner.put(key, body, options),
    async get(key, options) {
      store.gets.push(key);
      if (store.failNext > 0) {
        store.failNext--;
        throw new CrucibleError('STORAGE', `get ${key} failed: ServiceUnavailable (HTTP 503, injected)`, { details: { status: 503 } });
      }
      return inner.get(key, options);
    },
    head: (key) => inner.head(key),
    getRange: (key, options) => inner.getRange(key, options),
    async list(prefix) {
      store.lists++;
      return inner.list(prefix);
    },
    delete: (keys) => inner.delete(keys),
    close: () => inner.close(),
  };
  return store;
}

export function checkpointOf(run: RunConfig, seed: number): Checkpoint {
  return { config: run.model, params: initParams(run.model, seed), metadata: {} };
}

/**
 * Genesis at `genesisWindow` in the owner's store, then one checkpoint for each of `windows`, each
 * signed by the key elected for it (`signerAt` of its election block) into that key's store.
 */
export async function publishHistory(o: {
  run: RunConfig;
  owner: Keypair;
  stores: Map<string, CountingStore>;
  keys: Map<string, Keypair>;
  genesisWindow: number;
  windows: number[];
  signerAt: (block: number) => string;
}): Promise<PublishedCheckpoint[]> {
  const storeOf = (hotkey: string) => {
    let s = o.stores.get(hotkey);
    if (!s) o.stores.set(hotkey, (s = countingStore()));
    return s;
  };
  const fields = (window: number, parent: PublishedCheckpoint | undefined) => ({
    netuid: o.run.netuid,
    window,
    parentHash: parent ? parent.manifest.paramsHash : null,
    parentWindow: parent ? parent.manifest.window : null,
    contributors: [],
    validationLoss: null,
    run: o.run,
  });
  const out = [await publishCheckpoint(storeOf(o.owner.address), checkpointOf(o.run, 1), fields(o.genesisWindow, undefined), o.owner)];
  for (const w of o.windows) {
    const signer = o.keys.get(o.signerAt((w + 1) * o.run.window.blocksPerWindow))!;
    out.push(await publishCheckpoint(storeOf(signer.address), checkpointOf(o.run, 100 + w), fields(w, out.at(-1)), signer));
  }
  return out;
}
