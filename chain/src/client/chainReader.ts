import { currentBlock, genesisHash } from './blocks.js';
import { blockHashAt, finalizedHead } from './finality.js';
import type { ChainClient } from './connect.js';
import { readElectionState, readNeuronRows, subnetOwnerHotkey, timestampAt } from './subnetReads.js';

/**
 * The chain facts the window rules read, as one object. It matches @crucible/protocol's SignerChain
 * (and the other structural interfaces the rulebook declares) without this package knowing about them.
 */
export function chainReader(client: ChainClient) {
  return {
    // Rules read finalized state only: a reorg before finality must not change who may sign.
    bestBlock: async () => (await finalizedHead(client)).number,
    chainHead: () => currentBlock(client),
    genesisHash: () => genesisHash(client),
    blockHash: (block: number) => blockHashAt(client, block),
    timestamp: (block: number) => timestampAt(client, block),
    subnetOwnerHotkey: (netuid: number) => subnetOwnerHotkey(client, netuid),
    electionState: (netuid: number, block: number) => readElectionState(client, netuid, block),
    neuronRows: (netuid: number, block?: number) => readNeuronRows(client, netuid, block),
  };
}

export type ChainReader = ReturnType<typeof chainReader>;
