/**
 * Devnet benchmark: accepted transfers per second (submitted pre-signed over WebSocket, counted when
 * included in a block) and state_getStorage round-trip latency. Final line is one JSON object.
 *
 * Usage: npm run bench -w chain [-- --transfers 2000 --reads 1000]
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { createLogger } from '@crucible/core';
import WebSocket from 'ws';
import { startDevnet } from '../src/node/devnet.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const TRANSFERS = arg('transfers', 1200);
const READS = arg('reads', 1000);
const BLOCK_TIME_MS = arg('block-time-ms', 500);

const node = await startDevnet({ port: 0, blockTimeMs: BLOCK_TIME_MS, tmp: true, logger: createLogger({ name: 'bench', level: 'warn', write: () => {} }) });
const api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const senders = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((u) => keyring.addFromUri(u));
const dest = keyring.addFromUri('//BenchDest').address;

// Pre-sign every transfer (client-side signing is not what we measure).
const signed: string[] = [];
for (let i = 0; i < TRANSFERS; i++) {
  const from = senders[i % senders.length]!;
  const nonce = Math.floor(i / senders.length);
  const tx = api.tx.balances.transferKeepAlive(dest, 1_000_000_000n);
  await tx.signAsync(from, { nonce, era: 0 });
  signed.push(tx.toHex());
}

const ws = new WebSocket(node.endpoint);
await new Promise((r) => ws.once('open', r));
let nextId = 1;
const pending = new Map<number, (v: { result?: unknown; error?: unknown }) => void>();
ws.on('message', (d) => {
  const m = JSON.parse(d.toString()) as { id?: number; result?: unknown; error?: unknown };
  if (m.id !== undefined) pending.get(m.id)?.(m);
});
const call = (method: string, params: unknown[]) =>
  new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });

const startBlock = node.chain.best.header.number;
const t0 = performance.now();
const results = await Promise.all(signed.map((x) => call('author_submitExtrinsic', [x])));
const accepted = results.filter((r) => r.error === undefined).length;
const tSubmitted = performance.now();
let included = 0;
await new Promise<void>((resolve) => {
  const check = () => {
    included = 0;
    for (let n = startBlock + 1; n <= node.chain.best.header.number; n++) included += (node.chain.blockByNumber(n)?.extrinsics.length ?? 1) - 1;
    if (included >= accepted) resolve();
    else setTimeout(check, 20);
  };
  check();
});
const tIncluded = performance.now();
const transfersPerS = included / ((tIncluded - t0) / 1000);

const accountKey = api.query.system.account.key(dest);
const lat: number[] = [];
for (let i = 0; i < READS; i++) {
  const s = performance.now();
  await call('state_getStorage', [accountKey]);
  lat.push(performance.now() - s);
}
lat.sort((a, b) => a - b);
const p50 = lat[Math.floor(lat.length / 2)]!;
const p99 = lat[Math.floor(lat.length * 0.99)]!;

console.log(`transfers: ${TRANSFERS} submitted, ${accepted} accepted in ${(tSubmitted - t0).toFixed(0)} ms, ${included} included by ${(tIncluded - t0).toFixed(0)} ms (${node.chain.best.header.number - startBlock} blocks of ${BLOCK_TIME_MS} ms)`);
console.log(`transfers/s (submit → included): ${transfersPerS.toFixed(1)}`);
console.log(`state_getStorage round trip over WebSocket: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (${READS} sequential reads)`);
console.log('(measured on a shared 2-core machine under contention from other work)');
ws.close();
await api.disconnect();
await node.close();
console.log(JSON.stringify({ bench: 'devnet', transfers_per_s: Number(transfersPerS.toFixed(1)), get_storage_p50_ms: Number(p50.toFixed(3)) }));
process.exit(0);
