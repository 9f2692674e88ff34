/**
 * The block stream and connection handling, on a devnet whose blocks the test produces itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, cryptoReady } from '@crucible/core';
import { startDevnet, type Devnet } from '../node/devnet.js';
import { blockStream, currentBlock, watchBlocks, type BlockTick } from './blocks.js';
import { connectChain, type ChainClient } from './connect.js';
import { blockHashAt, finalizedHead } from './finality.js';

const quiet = () => createLogger({ name: 'chain', level: 'error' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let devnet: Devnet;
let client: ChainClient;

beforeAll(async () => {
  await cryptoReady();
  devnet = await startDevnet({ port: 0, tmp: true, blockTimeMs: 3_600_000, logger: quiet() });
  client = await connectChain({ endpoint: devnet.endpoint });
});
afterAll(async () => {
  await client?.close();
  await devnet?.close();
});

describe('finalized reads', () => {
  it('reports the finalized head two blocks behind, and waits for a block to finalize before giving its hash', async () => {
    for (let i = 0; i < 3; i++) devnet.produceBlock();
    const best = await currentBlock(client);
    expect((await finalizedHead(client)).number).toBe(best - 2);
    const pending = blockHashAt(client, best, { timeoutMs: 10_000 });
    let settled = false;
    void pending.then(() => (settled = true));
    await sleep(200);
    expect(settled).toBe(false);
    devnet.produceBlock();
    devnet.produceBlock();
    expect(await pending).toBe(devnet.chain.blockByNumber(best)?.hashHex);
    await expect(blockHashAt(client, best + 50, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});

describe('blocks and connection', () => {
  it('streams every new block once with its window', async () => {
    const ticks: BlockTick[] = [];
    const unsubscribe = await watchBlocks(client, 4, (t) => ticks.push(t));
    const start = devnet.produceBlock();
    devnet.produceBlock();
    devnet.produceBlock();
    while (ticks.length === 0 || ticks[ticks.length - 1]!.block < start + 2) await sleep(20);
    unsubscribe();
    const blocks = ticks.map((t) => t.block);
    expect(new Set(blocks).size).toBe(blocks.length);
    for (const t of ticks) expect(t.window).toBe(Math.floor(t.block / 4));
    expect(ticks[0]!.windowChanged).toBe(true);
  });

  it('offers the same stream as an async iterator that unsubscribes on break', async () => {
    const seen: number[] = [];
    const producer = setInterval(() => devnet.produceBlock(), 30);
    try {
      for await (const tick of blockStream(client, 4)) {
        seen.push(tick.block);
        if (seen.length === 3) break;
      }
    } finally {
      clearInterval(producer);
    }
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(1);
    expect(seen[2]! > seen[1]!).toBe(true);
  });

  it('keeps retrying until the node comes up, and gives up with SERVICE_UNAVAILABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    await expect(connectChain({ endpoint: `ws://127.0.0.1:${port}`, connectTimeoutMs: 800, reconnectDelayMs: 200 })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    const connecting = connectChain({ endpoint: `ws://127.0.0.1:${port}`, connectTimeoutMs: 30_000, reconnectDelayMs: 200 });
    await sleep(600);
    const late = await startDevnet({ port, tmp: true, blockTimeMs: 3_600_000, logger: quiet() });
    try {
      const c = await connecting;
      expect((await c.api.rpc.system.chain()).toString()).toBe('Bittensor');
      await c.close();
    } finally {
      await late.close();
    }
  });

  it('reconnects by itself when the node restarts, and keeps working; only the drop is logged, not the close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-chain-'));
    const lines: string[] = [];
    const logger = createLogger({ name: 'chain', level: 'warn', format: 'json', write: (line) => lines.push(line) });
    const drops = () => lines.filter((l) => l.includes('chain disconnected')).length;
    try {
      const first = await startDevnet({ port: 0, basePath: dir, blockTimeMs: 3_600_000, logger: quiet() });
      const port = first.port;
      first.produceBlock();
      const c = await connectChain({ endpoint: first.endpoint, reconnectDelayMs: 200, logger });
      expect(await currentBlock(c)).toBe(1);
      await first.close();
      const second = await startDevnet({ port, basePath: dir, blockTimeMs: 3_600_000, logger: quiet() });
      try {
        second.produceBlock();
        let block = 0;
        for (let i = 0; i < 100 && block !== 2; i++) {
          await sleep(100);
          block = await currentBlock(c).catch(() => 0);
        }
        expect(block).toBe(2);
        expect(drops()).toBeGreaterThanOrEqual(1);
        const before = drops();
        await c.close();
        await sleep(300);
        expect(drops()).toBe(before);
      } finally {
        await c.close();
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
