import { blockHashAt, genesisHash, readElectionState, readNeuronRows, timestampAt, type ChainClient } from '@crucible/chain';
import { acceptedBases, electAggregator, evaluationSeed, windowBlocks, windowPlan, type Manifest, type RunConfig, type WindowPlan } from '@crucible/protocol';
import { pointerFromCommitment, type PeerStores, type S3Pointer } from '@crucible/storage';
import type { Miner } from './collectWindow.js';

/**
 * Everything about window u that comes from the chain and the checkpoint chain, read at fixed blocks
 * so the live validator and `replay` see the same thing:
 *   neurons, commitments and the aggregator: at the window plan's deadline block (the first of u + 1);
 *   the window plan (seed, pages) from the hash of the window's first block;
 *   the evaluation seed from the hash of the reveal block (it exists only after every upload of the
 *   window is fixed) and this validator's hotkey;
 *   accepted bases: base(u) (newest checkpoint ≤ u − 2) and the checkpoint before it.
 */
export interface WindowContext {
  window: number;
  run: RunConfig;
  plan: WindowPlan;
  /** Hotkeys by uid at the deadline block. */
  hotkeys: string[];
  deadlineBlock: number;
  /** Timestamp.Now of the deadline block (the chain's clock, for planning the evaluation's own deadline). */
  deadlineTimestamp: number;
  windowSeed: `0x${string}`;
  evaluationSeed: `0x${string}`;
  bases: Array<{ window: number; paramsHash: string; signer: string }>;
  miners: Miner[];
  pointerByHotkey: Map<string, S3Pointer>;
  /** Hotkey of the aggregator elected at the deadline block: it aggregates window u. */
  aggregator: string | undefined;
}

export async function prepareWindow(
  client: ChainClient,
  o: { netuid: number; window: number; run: RunConfig; validatorHotkey: string; chain: readonly { manifest: Manifest; signer?: string }[]; stores: PeerStores },
): Promise<WindowContext> {
  const { window, run } = o;
  const { startBlock, deadlineBlock, revealBlock } = windowBlocks(run, window);
  const [rows, election, deadlineTimestamp, firstHash, revealHash] = await Promise.all([
    readNeuronRows(client, o.netuid, deadlineBlock),
    readElectionState(client, o.netuid, deadlineBlock),
    timestampAt(client, deadlineBlock),
    blockHashAt(client, startBlock),
    blockHashAt(client, revealBlock),
  ]);
  const plan = windowPlan(run, { genesisHash: genesisHash(client), window, windowBlockHash: firstHash });
  const pointerByHotkey = new Map<string, S3Pointer>();
  const miners: Miner[] = [];
  for (const row of rows) {
    const p = pointerFromCommitment(row.commitment);
    const pointer = p?.kind === 's3' ? p : undefined;
    if (pointer) pointerByHotkey.set(row.hotkey, pointer);
    if (row.hotkey === o.validatorHotkey) continue;
    miners.push({ uid: row.uid, hotkey: row.hotkey, pointer, store: pointer ? o.stores.get(pointer) : undefined });
  }
  const bases = acceptedBases(o.chain.map((c) => ({ window: c.manifest.window, paramsHash: c.manifest.paramsHash, signer: c.signer ?? '' })), window);
  return {
    window,
    run,
    plan,
    hotkeys: rows.map((r) => r.hotkey),
    deadlineBlock,
    deadlineTimestamp,
    windowSeed: plan.seed,
    evaluationSeed: evaluationSeed(plan.seed, revealHash, o.validatorHotkey),
    bases,
    miners,
    pointerByHotkey,
    aggregator: electAggregator(election)?.hotkey,
  };
}
