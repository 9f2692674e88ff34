import { windowStartBlock } from '@crucible/core';
import { aggregatorElectionWindow } from '../window/schedule.js';
import { electAggregator, type ElectionState } from './election.js';
import type { Manifest } from './manifest.js';

/** The ss58 hotkey allowed to sign a manifest (undefined: nobody is, or not yet known). */
export interface SignerPolicy {
  authorizedSigner(manifest: Manifest): Promise<string | undefined>;
}

/**
 * What the signer rule needs from a chain. @crucible/chain's `chainReader(client)` satisfies it; the
 * protocol never imports the chain package.
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
 * elected at the first block of window w + 1 (electAggregator). Window length comes from the manifest's
 * own run configuration, which the follower checks against the chain it extends. Answers are cached
 * once the election block exists (state at a block never changes); before that, nothing is cached.
 */
export function checkpointSignerPolicy(chain: SignerChain, netuid: number): SignerPolicy {
  const cache = new Map<string, string | undefined>();
  return {
    async authorizedSigner(manifest) {
      const genesis = manifest.parentHash === null;
      const electionBlock = windowStartBlock(aggregatorElectionWindow(manifest.window), manifest.run.window.blocksPerWindow);
      const key = genesis ? 'genesis' : `${electionBlock}`;
      if (cache.has(key)) return cache.get(key);
      let signer: string | undefined;
      if (genesis) signer = await chain.subnetOwnerHotkey(netuid);
      else {
        if (electionBlock > (await chain.bestBlock())) return undefined;
        signer = electAggregator(await chain.electionState(netuid, electionBlock))?.hotkey;
      }
      cache.set(key, signer);
      return signer;
    },
  };
}
