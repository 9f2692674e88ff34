import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketPointer } from './bucketPointer.js';
import { contentHash } from './contentHash.js';
import type { EndpointPolicy } from './endpointPolicy.js';
import { gradientKey, gradientsWindowPrefix } from './keys.js';
import { PeerStores } from './peerStores.js';
import { ReadBudget } from './readBudget.js';
import { startConnectionCanary, startHostileS3, type ConnectionCanary, type HostileBehaviour, type HostileS3 } from './testing/hostileS3.js';

/**
 * A peer's endpoint doing its worst (testing/hostileS3.ts, in this process, on 127.0.0.2) read through
 * PeerStores as a validator would: each behaviour is cut off within its limit or budget with the right
 * code, memory stays bounded, and nothing ever connects to the canary on 127.0.0.1, which the policy
 * forbids (every loopback address but the hostile server's).
 */
const policy: EndpointPolicy = { allowPrivateEndpoints: false, allowHttp: true, allowAddresses: ['127.0.0.2'] };
const key = gradientKey(7, 'hostile');
const honestBytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);

let hostile: HostileS3;
let canary: ConnectionCanary;
let peers: PeerStores;

const pointer = (bucket: HostileBehaviour, endpoint = hostile.endpoint): BucketPointer => ({ kind: 's3', endpoint, region: 'auto', bucket, accessKeyId: 'any', secretAccessKey: 'any' });
const storeOf = (bucket: HostileBehaviour, budget?: ReadBudget) => peers.get(pointer(bucket), budget)!;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  try {
    await run();
    return { ms: Date.now() - started, error: undefined };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

/** Peak resident-memory growth while `run` runs, sampled every 20 ms. */
async function peakRssGrowth(run: () => Promise<unknown>): Promise<number> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await run().catch(() => undefined);
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().rss) - base;
}

beforeAll(async () => {
  canary = await startConnectionCanary('127.0.0.1');
  hostile = await startHostileS3({ host: '127.0.0.2', trickleMs: 2000, redirectTo: canary.url });
  for (const bucket of ['honest', 'trickle', 'swap', 'backdate', 'redirect'] as const) hostile.putObject(bucket, key, honestBytes);
  peers = new PeerStores({ policy, limits: { requestTimeoutMs: 1500 } });
});

afterAll(async () => {
  peers.close();
  await hostile.close();
  await canary.close();
  // Nothing in this file may have reached the forbidden address.
  expect(canary.connections()).toBe(0);
});

describe('a peer store facing a hostile endpoint', () => {
  it('reads an honest object, pinned to its hash', async () => {
    const object = await storeOf('honest').get(key, { maxBytes: 10_000, expectedContentHash: contentHash(honestBytes) });
    expect(object.contentHash).toBe(contentHash(honestBytes));
    expect((await storeOf('honest').list(gradientsWindowPrefix(7))).map((o) => o.key)).toEqual([key]);
  });

  it('cuts off an endpoint that accepts and never answers at the request timeout', async () => {
    const { ms, error } = await timed(() => storeOf('hang').head(key));
    expect(error).toMatchObject({ code: 'TIMEOUT', details: { op: 'head', timeoutMs: 1500 } });
    expect(ms).toBeLessThan(2500);
  });

  it('cuts off a body trickling one byte every 2 s (the deadline covers the body, not just the headers)', async () => {
    const { ms, error } = await timed(() => storeOf('trickle').get(key, { maxBytes: 10_000 }));
    expect(error).toMatchObject({ code: 'TIMEOUT', details: { op: 'get' } });
    expect(ms).toBeLessThan(2500);
  });

  it('cuts off a status line trickling one byte every 2 s', async () => {
    const { ms, error } = await timed(() => storeOf('trickle-headers').get(key, { maxBytes: 10_000 }));
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(ms).toBeLessThan(2500);
  });

  it("charges a miner's time budget across requests and answers STORAGE_BUDGET once it is spent", async () => {
    const budget = new ReadBudget({ timeMs: 700, bytes: 1e6, label: 'miner hostile, window 7' });
    const { ms, error } = await timed(() => storeOf('hang', budget).get(key, { maxBytes: 10_000 }));
    expect(error).toMatchObject({ code: 'STORAGE_BUDGET', details: { budget: 'time', label: 'miner hostile, window 7' } });
    expect(ms).toBeLessThan(1200);
    // Spent is spent: the next read fails at once, without a request.
    const before = hostile.stats.requests;
    expect((await timed(() => storeOf('honest', budget).head(key))).error).toMatchObject({ code: 'STORAGE_BUDGET' });
    expect(hostile.stats.requests).toBe(before);
  });

  it("charges a byte budget across requests, and a window's budget across miners", async () => {
    const window = new ReadBudget({ timeMs: 60_000, bytes: 2500, label: 'window 7' });
    const a = new ReadBudget({ timeMs: 60_000, bytes: 2000, label: 'miner a', parent: window });
    const b = new ReadBudget({ timeMs: 60_000, bytes: 2000, label: 'miner b', parent: window });
    await storeOf('honest', a).get(key, { maxBytes: 10_000 });
    await storeOf('honest', a).get(key, { maxBytes: 10_000 });
    expect((await timed(() => storeOf('honest', a).get(key, { maxBytes: 10_000 }))).error).toMatchObject({ code: 'STORAGE_BUDGET', details: { budget: 'bytes', label: 'miner a' } });
    expect((await timed(() => storeOf('honest', b).get(key, { maxBytes: 10_000 }))).error).toMatchObject({ code: 'STORAGE_BUDGET', details: { budget: 'bytes', label: 'window 7' } });
    expect(window.usage().bytes).toBeLessThanOrEqual(2500);
  });

  it('stops a 400 MB listing at the page cap without buffering it', async () => {
    const sentBefore = hostile.stats.bytesSent;
    let error: unknown;
    const growth = await peakRssGrowth(async () => {
      error = (await timed(() => storeOf('huge-list').list(gradientsWindowPrefix(1), { timeoutMs: 20_000 }))).error;
    });
    expect(error).toMatchObject({ code: 'STORAGE_TOO_LARGE', details: { op: 'list', limit: 'page-bytes', max: 1024 * 1024 } });
    console.log(`huge listing: rss +${(growth / 2 ** 20).toFixed(1)} MB, server sent ${((hostile.stats.bytesSent - sentBefore) / 2 ** 20).toFixed(1)} MB`);
    expect(growth).toBeLessThan(48 * 2 ** 20);
    // The server got to write little more than the cap before the connection was closed.
    expect(hostile.stats.bytesSent - sentBefore).toBeLessThan(16 * 2 ** 20);
  });

  it('stops endless pagination at the page limit', async () => {
    const before = hostile.stats.requests;
    const { error } = await timed(() => storeOf('endless-pages').list(gradientsWindowPrefix(7)));
    expect(error).toMatchObject({ code: 'STORAGE_TOO_LARGE', details: { op: 'list', limit: 'pages', max: 8 } });
    expect(hostile.stats.requests - before).toBe(8);
  });

  it('refuses a 2 GB object from its declared length, and one that lies about it while streaming', async () => {
    const growth = await peakRssGrowth(async () => {
      expect((await timed(() => storeOf('huge-object').get(key, { maxBytes: 8 * 2 ** 20, timeoutMs: 20_000 }))).error).toMatchObject({
        code: 'STORAGE_TOO_LARGE',
        details: { op: 'get', size: 2 * 2 ** 30 },
      });
    });
    console.log(`huge object: rss +${(growth / 2 ** 20).toFixed(1)} MB`);
    expect(growth).toBeLessThan(48 * 2 ** 20);
    expect((await storeOf('huge-object').head(key))?.size).toBe(2 * 2 ** 30);
  });

  it('refuses an undeclared 2 GB stream once it passes the cap, and holds at most concurrency × cap', async () => {
    const sentBefore = hostile.stats.bytesSent;
    const cap = 4 * 2 ** 20;
    const concurrent = 16;
    let errors: unknown[] = [];
    const growth = await peakRssGrowth(async () => {
      errors = await Promise.all(Array.from({ length: concurrent }, async () => (await timed(() => storeOf('huge-stream').get(key, { maxBytes: cap, timeoutMs: 30_000 }))).error));
    });
    for (const error of errors) expect(error).toMatchObject({ code: 'STORAGE_TOO_LARGE', details: { op: 'get', maxBytes: cap } });
    console.log(`${concurrent} undeclared huge streams, cap ${cap / 2 ** 20} MB: rss +${(growth / 2 ** 20).toFixed(1)} MB, server sent ${((hostile.stats.bytesSent - sentBefore) / 2 ** 20).toFixed(1)} MB`);
    expect(growth).toBeLessThan(concurrent * cap + 48 * 2 ** 20);
  });

  it('refuses a redirect (to a forbidden address here) without following it', async () => {
    const { error } = await timed(() => storeOf('redirect').get(key, { maxBytes: 10_000 }));
    expect(error).toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'redirect', status: 307 } });
    expect(canary.connections()).toBe(0);
  });

  it('catches an object swapped between reads when the caller pins the first hash', async () => {
    const first = await storeOf('swap').get(key, { maxBytes: 10_000 });
    const { error } = await timed(() => storeOf('swap').get(key, { maxBytes: 10_000, expectedContentHash: first.contentHash }));
    expect(error).toMatchObject({ code: 'STORAGE_INTEGRITY', details: { source: 'pinned' } });
  });

  it('reports LastModified as the endpoint claims it (callers must not trust it for lateness)', async () => {
    expect((await storeOf('backdate').head(key))?.lastModified?.toISOString()).toBe('2001-01-01T00:00:00.000Z');
  });

  it('is read-only', async () => {
    await expect(storeOf('honest').put(key, honestBytes)).rejects.toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'read-only' } });
    await expect(storeOf('honest').delete([key])).rejects.toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'read-only' } });
  });
});

describe('forbidden addresses are never contacted', () => {
  const port = () => canary.port;
  it.each([
    ['a loopback literal', () => `http://127.0.0.1:${port()}`],
    ['a loopback name', () => `http://localhost:${port()}`],
    ['an IPv4-mapped IPv6 literal', () => `http://[::ffff:127.0.0.1]:${port()}`],
    ['a short-form IPv4 literal', () => `http://127.1:${port()}`],
    ['a private address', () => `http://10.255.255.1:${port()}`],
    ['the metadata address', () => `http://169.254.169.254:${port()}`],
  ])('refuses %s at once, on every operation', async (_what, endpoint) => {
    const store = peers.get(pointer('honest', endpoint()))!;
    const ops: Array<() => Promise<unknown>> = [() => store.get(key, { maxBytes: 100 }), () => store.head(key), () => store.list('gradients/')];
    for (const op of ops) {
      const { ms, error } = await timed(op);
      expect(error).toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'address' } });
      expect(ms).toBeLessThan(500);
    }
    expect(canary.connections()).toBe(0);
  });

  it('holds an address allowed on one port to that port, for literals and names alike', async () => {
    const onePort = new PeerStores({ policy: { allowPrivateEndpoints: false, allowHttp: true, allowAddresses: [`127.0.0.1:${port() + 1}`] } });
    for (const endpoint of [`http://127.0.0.1:${port()}`, `http://localhost:${port()}`]) {
      await expect(onePort.get(pointer('honest', endpoint))!.head(key)).rejects.toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'address', port: port() } });
    }
    onePort.close();
    expect(canary.connections()).toBe(0);
  });

  it('refuses https endpoints that resolve to a forbidden address under the default policy (the TLS agent is guarded too)', async () => {
    const strict = new PeerStores();
    for (const endpoint of [`https://localhost:${port()}`, `https://127.0.0.1:${port()}`, `https://[::ffff:7f00:1]:${port()}`]) {
      const { ms, error } = await timed(() => strict.get(pointer('honest', endpoint))!.get(key, { maxBytes: 100 }));
      expect(error).toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'address', class: 'loopback' } });
      expect(ms).toBeLessThan(500);
    }
    strict.close();
    expect(canary.connections()).toBe(0);
  });

  it('refuses plain http by default', async () => {
    const strict = new PeerStores();
    await expect(strict.get(pointer('honest'))!.head(key)).rejects.toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'scheme' } });
    strict.close();
  });
});
