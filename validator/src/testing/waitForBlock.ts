import { currentBlock, type ChainClient } from '@crucible/chain';

/** Resolves once the chain's best block is at least `block` (polling; blocks are seconds apart). */
export async function waitForBlock(client: ChainClient, block: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    if ((await currentBlock(client)) >= block || signal?.aborted) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
