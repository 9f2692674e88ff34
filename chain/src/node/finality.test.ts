/**
 * Finality a client can observe in order: a block is final `finalityLag` blocks after it is built, so a
 * transaction is reported ready, then inBlock, then — blocks later — finalized, and the finalized head
 * trails the best block.
 */
import { Keyring } from '@polkadot/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDevnet, type TestDevnet } from '../testing/testDevnet.js';

let t: TestDevnet;
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });

beforeAll(async () => {
  t = await startTestDevnet({ blockTimeMs: 200 });
});
afterAll(async () => {
  await t?.close();
});

describe('finality', () => {
  it('trails the best block by two blocks, on the RPC and in the finalized-heads subscription', async () => {
    const { api } = t;
    await new Promise((r) => setTimeout(r, 800));
    // Finalized first: the best block read afterwards can only be further ahead.
    const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    expect(best - finalized).toBeGreaterThanOrEqual(2);
    expect(best - finalized).toBeLessThanOrEqual(4);
    const seen: number[] = [];
    const unsub = await api.rpc.chain.subscribeFinalizedHeads((h) => {
      seen.push(h.number.toNumber());
    });
    await new Promise((r) => setTimeout(r, 700));
    unsub();
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect((await api.rpc.chain.getHeader()).number.toNumber() - (seen.at(-1) ?? 0)).toBeGreaterThanOrEqual(2);
  });

  it('reports a transaction inBlock before finalized, and finalized only once its block is final', async () => {
    const { api } = t;
    const alice = keyring.addFromUri('//Alice');
    // Statuses are recorded in the order they arrive; the best block at each is read alongside.
    const statuses: Array<{ type: string; best?: Promise<number> }> = [];
    await new Promise<void>((resolve, reject) => {
      api.tx.balances
        .transferKeepAlive(keyring.addFromUri('//CrucibleFinality').address, 1_000_000n)
        .signAndSend(alice, (r) => {
          // InBlock: the including block's number; Finalized: the best block when finality is reported.
          const best = r.status.isInBlock
            ? api.rpc.chain.getHeader(r.status.asInBlock).then((h) => h.number.toNumber())
            : r.status.isFinalized
              ? api.rpc.chain.getHeader().then((h) => h.number.toNumber())
              : undefined;
          statuses.push(best === undefined ? { type: r.status.type } : { type: r.status.type, best });
          if (r.status.isFinalized) resolve();
        })
        .catch(reject);
    });
    const types = statuses.map((s) => s.type);
    expect(types.indexOf('InBlock')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('InBlock')).toBeLessThan(types.indexOf('Finalized'));
    const inBlock = (await statuses.find((s) => s.type === 'InBlock')?.best) ?? 0;
    const final = (await statuses.find((s) => s.type === 'Finalized')?.best) ?? 0;
    expect(final - inBlock).toBeGreaterThanOrEqual(2);
  });
});
