import { blockHashAt, type ChainClient } from '@crucible/chain';

/**
 * `Timestamp.Now` at a block (ms since epoch): the chain's clock for the upload deadline. Read through
 * the client's @polkadot/api handle; it belongs in @crucible/chain (reported to the lead).
 */
export async function chainTimestampAt(client: ChainClient, block: number): Promise<number> {
  const hash = await blockHashAt(client, block);
  const at = await client.api.at(hash);
  const now = await (at.query as unknown as { timestamp: { now: () => Promise<{ toString(): string }> } }).timestamp.now();
  return Number(now.toString());
}

/** Resolves once the chain's best block is at least `block` (polling; blocks are seconds apart). */
export async function waitForBlock(client: ChainClient, block: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const header = await client.api.rpc.chain.getHeader();
    if (header.number.toNumber() >= block || signal?.aborted) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
