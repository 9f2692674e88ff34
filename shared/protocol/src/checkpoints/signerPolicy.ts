import { windowStartBlock } from '@crucible/core';
import { aggregatorElectionWindow } from '../window/schedule.js';
import { electAggregator, type ElectionState } from './election.js';
import type { Manifest } from './manifest.js';

/**
 * Who may sign a checkpoint, as the follower asks it. `signerFor` is what lets a node find a checkpoint
 * without listing buckets: the key of checkpoint w is fixed and its signer is computable, so the node
 * reads exactly one object in the elected aggregator's bucket.
 */
export interface SignerPolicy {
  /** The newest block the chain answers for (the follower's idea of "now"). */
  bestBlock(): Promise<number>;
  /** The hotkey that signs genesis: the subnet owner's (undefined: the subnet has none). */
  genesisSigner(): Promise<string | undefined>;
  /**
   * The hotkey elected to sign checkpoint `window` of a run with `blocksPerWindow` (undefined: nobody
   * holds a permit, or the election block does not exist yet). Throws when the chain cannot answer
   * (a lite node that no longer keeps that block's state throws CHAIN_RPC).
   */
  signerFor(window: number, blocksPerWindow: number): Promise<string | undefined>;
  /** The hotkey allowed to sign `manifest`: genesisSigner for a genesis, signerFor otherwise. */
  authorizedSigner(manifest: Manifest): Promise<string | undefined>;
}

/**
 * What the signer rule needs from a chain. @crucible/chain's `chainReader(client)` satisfies it; the
 * protocol never imports the chain package. Only the election's inputs are read (hotkeys, stake,
 * permits at one block), never a whole metagraph, so a node that keeps recent state only can answer.
 */
export interface SignerChain {
  /** The newest block the reader will answer for. */
  bestBlock(): Promise<number>;
  subnetOwnerHotkey(netuid: number): Promise<string | undefined>;
  /** Hotkeys, stake weights and validator permits of `netuid` at `block`. */
  electionState(netuid: number, block: number): Promise<ElectionState>;
}

/**
 * Genesis (no parent) must be signed by the subnet owner's hotkey; checkpoint w by the aggregator
 * elected at the first block of window w + 1 (electAggregator). Window length comes from the run
 * configuration the follower holds (genesis's), which every checkpoint must repeat. Answers are cached
 * once the election block exists (state at a block never changes); before that, nothing is cached, and
 * neither is a failed read (a transient RPC error is asked again next time).
 */
export function checkpointSignerPolicy(chain: SignerChain, netuid: number): SignerPolicy {
  const elected = new Map<number, string | undefined>();
  const signerFor = async (window: number, blocksPerWindow: number) => {
    const electionBlock = windowStartBlock(aggregatorElectionWindow(window), blocksPerWindow);
    if (elected.has(electionBlock)) return elected.get(electionBlock);
    if (electionBlock > (await chain.bestBlock())) return undefined;
    const signer = electAggregator(await chain.electionState(netuid, electionBlock))?.hotkey;
    elected.set(electionBlock, signer);
    if (elected.size > 4096) elected.delete(elected.keys().next().value!);
    return signer;
  };
  return {
    bestBlock: () => chain.bestBlock(),
    genesisSigner: () => chain.subnetOwnerHotkey(netuid),
    signerFor,
    async authorizedSigner(manifest) {
      if (manifest.parentHash === null) return chain.subnetOwnerHotkey(netuid);
      return signerFor(manifest.window, manifest.run.window.blocksPerWindow);
    },
  };
}

/**
 * A chain that answers recent state from `primary` and, when it cannot (a lite node keeps ~256 blocks),
 * older state from `archive` (`--chain.archive-endpoint`). Current-state reads always go to `primary`.
 */
export function withArchive(primary: SignerChain, archive: SignerChain | undefined): SignerChain {
  if (archive === undefined) return primary;
  return {
    bestBlock: () => primary.bestBlock(),
    subnetOwnerHotkey: (netuid) => primary.subnetOwnerHotkey(netuid),
    async electionState(netuid, block) {
      try {
        return await primary.electionState(netuid, block);
      } catch {
        return archive.electionState(netuid, block);
      }
    },
  };
}
