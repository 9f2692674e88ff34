/**
 * Registration, pruning, axons, unstaking, commitments' rate limit, the block stream and connection
 * retries, on a devnet whose blocks the test produces itself (so "same block" is deterministic).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, cryptoReady, keypairFromUri } from '@crucible/core';
import { startDevnet, type Devnet } from '../node/devnet.js';
import { runtimePallets } from '../runtime/pallets.js';
import { withIncentivePallets } from '../pallets/subtensor/incentivePallets.js';
import { getBalance, transfer } from './balances.js';
import { blockStream, currentBlock, watchBlocks, type BlockTick } from './blocks.js';
import { getCommitment, setCommitment } from './commitments.js';
import { connectChain, type ChainClient } from './connect.js';
import { getMetagraph } from './metagraph.js';
import { burnedRegister, registerNetwork, serveAxon } from './register.js';
import { addStake, removeStake } from './stake.js';
import { isDispatchError, submitExtrinsic } from './submit.js';
import { sudoCall, sudoSetHyperparameters } from './sudo.js';

const TAO = 1_000_000_000n;
const quiet = () => createLogger({ name: 'chain', level: 'error' });
const pallets = withIncentivePallets(runtimePallets);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let devnet: Devnet;
let client: ChainClient;
let netuid: number;
const alice = () => keypairFromUri('//Alice');
const bob = () => keypairFromUri('//Bob');

/** Produces blocks until `p` settles (each included extrinsic resolves on its block). */
async function settle<T>(p: Promise<T>): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    await sleep(25);
    if ((await client.api.rpc.author.pendingExtrinsics()).length > 0) devnet.produceBlock();
  }
  return p;
}

async function settleError(p: Promise<unknown>, pallet: string, error: string): Promise<void> {
  try {
    await settle(p);
  } catch (e) {
    if (isDispatchError(e, pallet, error)) return;
    throw e;
  }
  expect.fail(`expected ${pallet}.${error}`);
}

async function untilPending(count: number): Promise<void> {
  while ((await client.api.rpc.author.pendingExtrinsics()).length < count) await sleep(20);
}

beforeAll(async () => {
  await cryptoReady();
  devnet = await startDevnet({ port: 0, tmp: true, blockTimeMs: 3_600_000, pallets, logger: quiet() });
  client = await connectChain({ endpoint: devnet.endpoint });
  netuid = (await settle(registerNetwork(client, bob(), keypairFromUri('//Bob//owner').address))).netuid;
});

afterAll(async () => {
  await client?.close();
  await devnet?.close();
});

describe('registration', () => {
  it('register_network with a hotkey another coldkey owns: NonAssociatedColdKey', async () => {
    await settleError(registerNetwork(client, alice(), keypairFromUri('//Bob//owner').address), 'SubtensorModule', 'NonAssociatedColdKey');
  });

  it('a second registration in the same block: TooManyRegistrationsThisBlock (MaxRegistrationsPerBlock 1)', async () => {
    const first = burnedRegister(client, alice(), netuid, keypairFromUri('//Alice//a').address);
    const second = burnedRegister(client, bob(), netuid, keypairFromUri('//Bob//b').address);
    await untilPending(2);
    devnet.produceBlock();
    const results = await Promise.allSettled([settle(first), settle(second)]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(isDispatchError((failed[0] as PromiseRejectedResult).reason, 'SubtensorModule', 'TooManyRegistrationsThisBlock')).toBe(true);
  });

  it('a coldkey that cannot pay the burn: NotEnoughBalanceToStake, and nothing changes', async () => {
    const poor = keypairFromUri('//Crucible//poor-registrant');
    await settle(transfer(client, alice(), poor.address, TAO / 2n));
    const before = await getMetagraph(client, netuid);
    expect(before.hyperparameters.burn).toBe(TAO);
    await settleError(burnedRegister(client, poor, netuid, keypairFromUri('//Crucible//poor-hot').address), 'SubtensorModule', 'NotEnoughBalanceToStake');
    const after = await getMetagraph(client, netuid);
    expect(after.n).toBe(before.n);
    expect(after.hotkeys).toEqual(before.hotkeys);
    expect(await getBalance(client, poor.address)).toBe(TAO / 2n);
  });

  it('a full subnet without immunity replaces the lowest pruning score (the last uid on ties)', async () => {
    await settle(sudoSetHyperparameters(client, alice(), netuid, { maxAllowedUids: 3, immunityPeriod: 0 }));
    const before = await getMetagraph(client, netuid);
    expect(before.n).toBe(2);
    await settle(burnedRegister(client, bob(), netuid, keypairFromUri('//Bob//c').address));
    const full = await getMetagraph(client, netuid);
    expect(full.n).toBe(3);
    const replaced = full.hotkeys[2];
    const newcomer = keypairFromUri('//Bob//d').address;
    const r = await settle(burnedRegister(client, bob(), netuid, newcomer));
    expect(r.uid).toBe(2);
    const after = await getMetagraph(client, netuid);
    expect(after.n).toBe(3);
    expect(after.hotkeys[2]).toBe(newcomer);
    expect(after.hotkeys).not.toContain(replaced);
    expect((await client.api.query['subtensorModule']!['uids']!(netuid, replaced)).toJSON()).toBeNull();
  });
});

describe('axons and stake', () => {
  it('serve_axon stores the axon; port 0, a bad ip type and a second serve within ServingRateLimit fail', async () => {
    const hot = keypairFromUri('//Bob//d');
    await settle(transfer(client, alice(), hot.address, 10n * TAO));
    const served = await settle(serveAxon(client, hot, netuid, { ip: '10.0.0.7', port: 8091, version: 3 }));
    expect(served.events.map((e) => e.name)).toContain('subtensorModule.AxonServed');
    const axon = (await client.api.query['subtensorModule']!['axons']!(netuid, hot.address)).toJSON() as Record<string, unknown>;
    expect(axon).toMatchObject({ block: served.blockNumber, version: 3, ip: 0x0a000007, port: 8091, ipType: 4 });
    await settleError(serveAxon(client, hot, netuid, { ip: '10.0.0.7', port: 8092 }), 'SubtensorModule', 'ServingRateLimitExceeded');
    const tx = (port: number, ipType: number) => client.api.tx['subtensorModule']!['serveAxon']!(netuid, 0, 1, port, ipType, 0, 0, 0);
    await settleError(submitExtrinsic(client, hot, tx(0, 4)), 'SubtensorModule', 'InvalidPort');
    await settleError(submitExtrinsic(client, hot, tx(1, 5)), 'SubtensorModule', 'InvalidIpType');
  });

  it('remove_stake returns alpha as TAO less the 50 000 rao fee and emits StakeRemoved', async () => {
    await settle(addStake(client, bob(), keypairFromUri('//Bob//d').address, netuid, 10n * TAO));
    const before = await getBalance(client, bob().address);
    const r = await settle(removeStake(client, bob(), keypairFromUri('//Bob//d').address, netuid, 4n * TAO));
    expect(r.events.find((e) => e.name === 'subtensorModule.StakeRemoved')?.data).toEqual([
      bob().address,
      keypairFromUri('//Bob//d').address,
      Number(4n * TAO - 50_000n),
      Number(4n * TAO),
      netuid,
    ]);
    expect(await getBalance(client, bob().address)).toBe(before + 4n * TAO - 50_000n);
    const mg = await getMetagraph(client, netuid);
    expect(mg.alphaStake[mg.hotkeys.indexOf(keypairFromUri('//Bob//d').address)]).toBe(6n * TAO - 50_000n);
    // Staking to a hotkey nobody registered: HotKeyAccountNotExists.
    await settleError(addStake(client, bob(), keypairFromUri('//Nobody').address, netuid, TAO), 'SubtensorModule', 'HotKeyAccountNotExists');
  });
});

describe('commitments', () => {
  it('Commitments.set_rate_limit (as Root) shortens the rate limit; a commit after it passes', async () => {
    const hot = keypairFromUri('//Bob//d');
    expect(await getCommitment(client, netuid, keypairFromUri('//Nobody').address)).toBeNull();
    await settle(sudoCall(client, alice(), 'commitments', 'setRateLimit', [2]));
    const first = await settle(setCommitment(client, hot, netuid, Uint8Array.of(1, 2, 3)));
    await settleError(setCommitment(client, hot, netuid, Uint8Array.of(4)), 'Commitments', 'CommitmentSetRateLimitExceeded');
    devnet.produceBlock();
    const second = await settle(setCommitment(client, hot, netuid, Uint8Array.of(4)));
    expect(second.blockNumber).toBeGreaterThanOrEqual(first.blockNumber + 2);
    expect(Array.from((await getCommitment(client, netuid, hot.address))!.data)).toEqual([4]);
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
    const late = await startDevnet({ port, tmp: true, blockTimeMs: 3_600_000, pallets, logger: quiet() });
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
      const first = await startDevnet({ port: 0, basePath: dir, blockTimeMs: 3_600_000, pallets, logger: quiet() });
      const port = first.port;
      first.produceBlock();
      const c = await connectChain({ endpoint: first.endpoint, reconnectDelayMs: 200, logger });
      expect(await currentBlock(c)).toBe(1);
      await first.close();
      const second = await startDevnet({ port, basePath: dir, blockTimeMs: 3_600_000, pallets, logger: quiet() });
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
