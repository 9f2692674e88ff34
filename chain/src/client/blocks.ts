import { CrucibleError, windowOf } from '@crucible/core';
import type { ChainClient } from './connect.js';

/** The chain's genesis hash (the first part of every window seed). */
export function genesisHash(client: ChainClient): `0x${string}` {
  return client.api.genesisHash.toHex() as `0x${string}`;
}


/**
 * The hash of `block` on the node's best chain, which a reorg before finality may still change; use
 * finality's blockHashAt for anything another party must agree on (this is for acting early and
 * checking against the finalized hash later).
 */
export async function bestChainHashAt(client: ChainClient, block: number): Promise<`0x${string}`> {
  const hash = (await client.api.rpc.chain.getBlockHash(block)).toHex() as `0x${string}`;
  if (/^0x0+$/.test(hash)) throw new CrucibleError('CHAIN_RPC', `block ${block} is not known to the node yet`, { details: { block } });
  return hash;
}

/** The best block number. */
export async function currentBlock(client: ChainClient): Promise<number> {
  const header = await client.api.rpc.chain.getHeader();
  return header.number.toNumber();
}

export interface BlockTick {
  block: number;
  window: number;
  /** True for the first block seen in a new window (and for the first block of the stream). */
  windowChanged: boolean;
}

/**
 * Calls `onBlock` for every new best block with its window (`floor(block / blocksPerWindow)`). The
 * subscription survives reconnects (the provider resubscribes). Returns the unsubscribe function.
 */
export async function watchBlocks(
  client: ChainClient,
  blocksPerWindow: number,
  onBlock: (tick: BlockTick) => void,
): Promise<() => void> {
  let lastWindow: number | undefined;
  let lastBlock = -1;
  return client.api.rpc.chain.subscribeNewHeads((header) => {
    const block = header.number.toNumber();
    // A reconnect may replay the current head; never report a block twice or go backwards.
    if (block <= lastBlock) return;
    lastBlock = block;
    const window = windowOf(block, blocksPerWindow);
    const windowChanged = window !== lastWindow;
    lastWindow = window;
    onBlock({ block, window, windowChanged });
  });
}

/** The same stream as an async iterator; breaking out of the loop unsubscribes. */
export async function* blockStream(client: ChainClient, blocksPerWindow: number): AsyncGenerator<BlockTick> {
  const queue: BlockTick[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = await watchBlocks(client, blocksPerWindow, (tick) => {
    queue.push(tick);
    wake?.();
  });
  try {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unsubscribe();
  }
}
