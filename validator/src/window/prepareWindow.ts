import { windowStartBlock } from '@crucible/core';
import { blockHashAt, bucketPointers, genesisHash, getMetagraph, pickTopStakedValidator, storeForPointer, type BucketPointer, type ChainClient, type Metagraph } from '@crucible/chain';
import { evaluationSeed, pickBaseWindow, windowSeed, type Manifest, type RunConfig } from '@crucible/protocol';
import type { ObjectStore } from '@crucible/storage';
import { readPointerOf } from '../neuron/bucket.js';
import { chainTimestampAt } from '../neuron/chainTime.js';
import type { ReadPointer } from '../queue/evaluationJob.js';
import type { Miner } from './collectUploads.js';

/**
 * Everything about window u that comes from the chain and the checkpoint chain, read at fixed blocks
 * so the live validator and `replay` see the same thing:
 *   metagraph, commitments and the aggregator: at windowStartBlock(u + 1) (the upload deadline block);
 *   windowSeed from the hash of windowStartBlock(u); evaluationSeed adds this validator's hotkey;
 *   lateAfter = Timestamp.Now of the deadline block + lateGraceMs;
 *   accepted bases: base(u) (newest checkpoint ≤ u − 2) and the checkpoint before it.
 */
export interface WindowContext {
  window: number;
  run: RunConfig;
  metagraph: Metagraph;
  deadlineBlock: number;
  deadlineTimestamp: number;
  lateAfter: number;
  windowSeed: `0x${string}`;
  evaluationSeed: `0x${string}`;
  bases: Array<{ window: number; paramsHash: string; signer: string }>;
  miners: Miner[];
  pointerByHotkey: Map<string, ReadPointer>;
  /** Hotkey of the top-staked permitted validator at the deadline block: it aggregates window u. */
  aggregator: string | undefined;
}

export class StoreCache {
  private readonly stores = new Map<string, ObjectStore>();
  get(pointer: BucketPointer): ObjectStore | undefined {
    const key = JSON.stringify(pointer);
    let s = this.stores.get(key);
    if (!s) {
      s = storeForPointer(pointer);
      if (s) this.stores.set(key, s);
    }
    return s;
  }
  close(): void {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
  }
}

export async function prepareWindow(
  client: ChainClient,
  o: { netuid: number; window: number; run: RunConfig; validatorHotkey: string; lateGraceMs: number; chain: readonly { manifest: Manifest; signer?: string }[]; stores: StoreCache },
): Promise<WindowContext> {
  const { window, run } = o;
  const bpw = run.window.blocksPerWindow;
  const deadlineBlock = windowStartBlock(window + 1, bpw);
  const [metagraph, deadlineTimestamp, firstHash, genesis] = await Promise.all([
    getMetagraph(client, o.netuid, { atBlock: deadlineBlock }),
    chainTimestampAt(client, deadlineBlock),
    blockHashAt(client, windowStartBlock(window, bpw)),
    genesisHash(client),
  ]);
  const seed = windowSeed({ genesisHash: genesis, netuid: o.netuid, window, windowBlockHash: firstHash });
  const pointers = bucketPointers(metagraph);
  const pointerByHotkey = new Map<string, ReadPointer>();
  const miners: Miner[] = [];
  metagraph.hotkeys.forEach((hotkey, uid) => {
    const p = pointers[uid];
    const rp = p ? readPointerOf(p) : undefined;
    if (rp) pointerByHotkey.set(hotkey, rp);
    if (hotkey === o.validatorHotkey) return;
    miners.push({ uid, hotkey, pointer: rp, store: p ? o.stores.get(p) : undefined });
  });
  const windows = o.chain.map((c) => c.manifest.window);
  const baseWindow = pickBaseWindow(windows, window);
  const bases: WindowContext['bases'] = [];
  if (baseWindow !== undefined) {
    const i = o.chain.findIndex((c) => c.manifest.window === baseWindow);
    for (const c of [o.chain[i], o.chain[i - 1]]) if (c) bases.push({ window: c.manifest.window, paramsHash: c.manifest.paramsHash, signer: c.signer ?? '' });
  }
  return {
    window,
    run,
    metagraph,
    deadlineBlock,
    deadlineTimestamp,
    lateAfter: deadlineTimestamp + o.lateGraceMs,
    windowSeed: seed,
    evaluationSeed: evaluationSeed(seed, o.validatorHotkey),
    bases,
    miners,
    pointerByHotkey,
    aggregator: pickTopStakedValidator(metagraph)?.hotkey,
  };
}
