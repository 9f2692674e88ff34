import { CrucibleError } from '@crucible/core';
import type { SignerChain } from '@crucible/protocol';

/**
 * A chain reader that answers like a public lite node: current state, and state at a block only
 * within the last `depth` blocks (subtensor lite nodes keep ~256); anything older is refused the way
 * such a node refuses it. `refused` counts the refusals (a follower should cause none).
 */
export function recentStateOnly(reader: SignerChain, depth = 256): SignerChain & { refused: number; oldestRead: number } {
  const lite = {
    refused: 0,
    oldestRead: Infinity,
    bestBlock: () => reader.bestBlock(),
    subnetOwnerHotkey: (netuid: number) => reader.subnetOwnerHotkey(netuid),
    async electionState(netuid: number, block: number) {
      const best = await reader.bestBlock();
      if (block < best - depth) {
        lite.refused++;
        throw new CrucibleError('CHAIN_RPC', `State already discarded for block ${block} (this node keeps the last ${depth} blocks; best is ${best})`, { details: { block, best } });
      }
      lite.oldestRead = Math.min(lite.oldestRead, block);
      return reader.electionState(netuid, block);
    },
  };
  return lite;
}
