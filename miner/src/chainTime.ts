import { CrucibleError } from '@crucible/core';
import { currentBlock, type ChainClient } from '@crucible/chain';

/** Rejects with TIMEOUT when `promise` takes longer than `ms` (a dropped chain connection would otherwise hang calls). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CrucibleError('TIMEOUT', `${what} took longer than ${ms} ms`, { details: { ms } })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function timestampAt(client: ChainClient, block: number): Promise<number> {
  const hash = await client.api.rpc.chain.getBlockHash(block);
  const api = await client.api.at(hash);
  return Number((await api.query.timestamp!.now!()).toString());
}

/** The average block interval over the last (up to) 20 blocks, from on-chain timestamps; 12 s when unknown. */
export async function measureBlockTime(client: ChainClient): Promise<number> {
  try {
    const head = await currentBlock(client);
    const span = Math.min(20, head - 1);
    if (span < 2) return 12_000;
    const [a, b] = await Promise.all([timestampAt(client, head - span), timestampAt(client, head)]);
    const interval = (b - a) / span;
    return Number.isFinite(interval) && interval > 0 ? interval : 12_000;
  } catch {
    return 12_000;
  }
}
