/**
 * Reads that must not move under a reorg use finalized blocks: window seeds, elections, anything every
 * party must agree on. Under Aura a best block can still be replaced until GRANDPA finalizes it; on the
 * devnet finality trails the best block by two blocks, as on Bittensor.
 */
import { CrucibleError } from '@crucible/core';
import type { ChainClient } from './connect.js';

export interface BlockRef {
  number: number;
  hash: `0x${string}`;
}

/** The last finalized block. */
export async function finalizedHead(client: ChainClient): Promise<BlockRef> {
  const hash = await client.api.rpc.chain.getFinalizedHead();
  const header = await client.api.rpc.chain.getHeader(hash);
  return { number: header.number.toNumber(), hash: hash.toHex() };
}

/**
 * The hash of block `block` once it is finalized: waits (up to `timeoutMs`, default 60 s) while the
 * block is newer than the finalized head, then reads the canonical hash. TIMEOUT if it does not
 * finalize in time.
 */
export async function blockHashAt(client: ChainClient, block: number, options: { timeoutMs?: number } = {}): Promise<`0x${string}`> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  if ((await finalizedHead(client)).number < block) await waitForFinalized(client, block, timeoutMs);
  const hash = (await client.api.rpc.chain.getBlockHash(block)).toHex() as `0x${string}`;
  if (/^0x0+$/.test(hash)) throw new CrucibleError('CHAIN_RPC', `the node does not know block ${block}`, { details: { block } });
  return hash;
}

/** Resolves once the finalized head reaches `block`. */
export function waitForFinalized(client: ChainClient, block: number, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe?.();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(
      () => finish(new CrucibleError('TIMEOUT', `block ${block} was not finalized within ${timeoutMs} ms`, { details: { block, timeoutMs } })),
      timeoutMs,
    );
    client.api.rpc.chain
      .subscribeFinalizedHeads((header) => {
        if (header.number.toNumber() >= block) finish();
      })
      .then((unsub) => {
        if (done) unsub();
        else unsubscribe = unsub;
      })
      .catch((cause: unknown) => finish(new CrucibleError('CHAIN_RPC', 'could not follow finalized heads', { cause })));
  });
}
