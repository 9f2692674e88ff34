import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base58Decode } from '@polkadot/util-crypto';
import WebSocket from 'ws';
import { createLogger } from '@crucible/core';
import { startDevnet, type Devnet } from '../node/devnet.js';

let node: Devnet;

beforeAll(async () => {
  node = await startDevnet({ port: 0, blockTimeMs: 60_000, tmp: true, logger: createLogger({ name: 't', level: 'error', write: () => {} }) });
});
afterAll(async () => {
  await node?.close();
});

async function post(body: string): Promise<unknown> {
  const res = await fetch(node.httpEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(res.status).toBe(200);
  const text = await res.text();
  return text === '' ? undefined : JSON.parse(text);
}

function wsSession(): Promise<{ ask(text: string): Promise<unknown>; next(): Promise<unknown>; close(): void }> {
  const ws = new WebSocket(node.endpoint);
  const queue: unknown[] = [];
  const waiters: Array<(v: unknown) => void> = [];
  ws.on('message', (d) => {
    const v = JSON.parse(d.toString());
    const w = waiters.shift();
    if (w) w(v);
    else queue.push(v);
  });
  const next = () => new Promise<unknown>((resolve) => (queue.length > 0 ? resolve(queue.shift()) : waiters.push(resolve)));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ask: (text) => {
          ws.send(text);
          return next();
        },
        next,
        close: () => ws.close(),
      }),
    );
  });
}

describe('JSON-RPC over HTTP POST', () => {
  it('answers a request with the runtime version', async () => {
    const r = (await post('{"jsonrpc":"2.0","id":1,"method":"state_getRuntimeVersion","params":[]}')) as { result: { specName: string; specVersion: number } };
    expect(r.result).toMatchObject({ specName: 'node-subtensor', specVersion: 424, transactionVersion: 1, systemVersion: 1 });
  });

  it('reports a valid libp2p peer id: base58 of an identity multihash of an Ed25519 public key', async () => {
    const r = (await post('{"jsonrpc":"2.0","id":1,"method":"system_localPeerId","params":[]}')) as { result: string };
    expect(r.result).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/);
    const bytes = base58Decode(r.result);
    expect([...bytes.subarray(0, 6)]).toEqual([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]);
    expect(bytes.length).toBe(38);
  });

  it('gives standard errors for malformed JSON, invalid requests, unknown methods and bad params', async () => {
    expect(await post('{not json')).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    expect(await post('{"id":3,"method":"system_name"}')).toEqual({ jsonrpc: '2.0', id: 3, error: { code: -32600, message: 'Invalid request' } });
    expect(await post('{"jsonrpc":"2.0","id":4,"method":"no_such_method","params":[]}')).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: { code: -32601, message: 'Method not found' },
    });
    const bad = (await post('{"jsonrpc":"2.0","id":5,"method":"state_getStorage","params":["zz"]}')) as { error: { code: number } };
    expect(bad.error.code).toBe(-32602);
    expect(await post('[]')).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request' } });
  });

  it('answers batches in order and sends nothing for notifications', async () => {
    const r = (await post('[{"jsonrpc":"2.0","id":1,"method":"system_chain"},{"jsonrpc":"2.0","method":"system_name"},{"jsonrpc":"2.0","id":2,"method":"system_name"}]')) as Array<{
      id: number;
      result: string;
    }>;
    expect(r).toEqual([
      { jsonrpc: '2.0', id: 1, result: 'Bittensor' },
      { jsonrpc: '2.0', id: 2, result: 'crucible-chain' },
    ]);
    expect(await post('{"jsonrpc":"2.0","method":"system_name"}')).toBeUndefined();
  });

  it('reports storage changes over a block range with state_queryStorage', async () => {
    node.produceBlock();
    node.produceBlock();
    const numberKey = '0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac';
    const r = (await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'state_queryStorage', params: [[numberKey], node.genesisHash] }))) as {
      result: Array<{ block: string; changes: Array<[string, string | null]> }>;
    };
    // System.Number changes in every block; at genesis it is absent (null).
    expect(r.result.length).toBe(node.chain.best.header.number + 1);
    expect(r.result[0]).toEqual({ block: node.genesisHash, changes: [[numberKey, null]] });
    expect(r.result[2]!.changes[0]![1]).toBe('0x02000000');
  });

  it('refuses subscriptions over HTTP', async () => {
    const r = (await post('{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads","params":[]}')) as { error: { code: number } };
    expect(r.error.code).toBe(-32601);
  });

  it('lists every method it serves in rpc_methods, including what @polkadot/api needs', async () => {
    const r = (await post('{"jsonrpc":"2.0","id":1,"method":"rpc_methods"}')) as { result: { methods: string[] } };
    for (const m of ['chain_getBlock', 'chain_subscribeNewHeads', 'state_call', 'state_queryStorageAt', 'author_submitAndWatchExtrinsic', 'payment_queryInfo']) {
      expect(r.result.methods).toContain(m);
    }
  });
});

describe('JSON-RPC over WebSocket', () => {
  it('survives garbage and keeps serving the same connection', async () => {
    const s = await wsSession();
    try {
      expect(await s.ask('\u0000\u0001 garbage')).toMatchObject({ error: { code: -32700 } });
      expect(await s.ask('{"jsonrpc":"2.0","id":"x","method":"chain_getBlockHash","params":[0]}')).toEqual({
        jsonrpc: '2.0',
        id: 'x',
        result: node.genesisHash,
      });
    } finally {
      s.close();
    }
  });

  it('closes a connection that sends an oversized message, and keeps serving others', async () => {
    const ws = new WebSocket(node.endpoint);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(16 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const s = await wsSession();
    try {
      expect(await s.ask('{"jsonrpc":"2.0","id":1,"method":"system_chain"}')).toMatchObject({ result: 'Bittensor' });
    } finally {
      s.close();
    }
  });

  it('keeps producing blocks after a subscriber vanishes without unsubscribing', async () => {
    const baseline = node.chain.listenerCount('block');
    const s = await wsSession();
    await s.ask('{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads","params":[]}');
    await s.ask('{"jsonrpc":"2.0","id":2,"method":"state_subscribeStorage","params":[["0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7"]]}');
    // (`ask` returns the next message, which may be the first head notification: wait for both.)
    while (node.chain.listenerCount('block') < baseline + 2) await new Promise((r) => setTimeout(r, 10));
    s.close();
    // The server tears the subscriptions down when it sees the socket close.
    while (node.chain.listenerCount('block') > baseline) await new Promise((r) => setTimeout(r, 10));
    const before = node.chain.best.header.number;
    expect(node.produceBlock()).toBe(before + 1);
  });

  it('notifies new heads on a subscription and stops after unsubscribing', async () => {
    const s = await wsSession();
    try {
      const sub = (await s.ask('{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHead","params":[]}')) as { result: string };
      const first = (await s.next()) as { method: string; params: { subscription: string; result: { number: string } } };
      expect(first.method).toBe('chain_newHead');
      expect(first.params.subscription).toBe(sub.result);
      const n = node.produceBlock();
      const second = (await s.next()) as { params: { result: { number: string } } };
      expect(Number.parseInt(second.params.result.number, 16)).toBe(n);
      const un = (await s.ask(`{"jsonrpc":"2.0","id":2,"method":"chain_unsubscribeNewHead","params":["${sub.result}"]}`)) as { result: boolean };
      expect(un.result).toBe(true);
    } finally {
      s.close();
    }
  });
});
