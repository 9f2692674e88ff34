import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { contentHash } from '../contentHash.js';
import { CONTENT_HASH_METADATA } from '../objectStore.js';

/**
 * What a hostile S3-compatible endpoint does with a request:
 * - `honest`: a plain in-memory S3 (PUT, GET, HEAD, ListObjectsV2), for the objects the others serve;
 * - `hang`: accepts the connection and never answers;
 * - `trickle`: answers headers at once, then the body one byte every `trickleMs`;
 * - `trickle-headers`: writes the status line itself one byte every `trickleMs`;
 * - `huge-list`: a ListObjectsV2 answer of `hugeListBytes`, generated as it is sent;
 * - `endless-pages`: every list page truncated, with a fresh continuation token;
 * - `huge-object`: GET declares and streams `hugeObjectBytes` (HEAD declares it);
 * - `huge-stream`: GET streams `hugeObjectBytes` without declaring a length (chunked);
 * - `redirect`: 307 to `redirectTo` (with the request's path);
 * - `swap`: every GET serves different bytes, with a content hash that matches them;
 * - `backdate`: honest, but LastModified is 2001-01-01 on HEAD, GET and listings.
 */
export const hostileBehaviours = ['honest', 'hang', 'trickle', 'trickle-headers', 'huge-list', 'endless-pages', 'huge-object', 'huge-stream', 'redirect', 'swap', 'backdate'] as const;
export type HostileBehaviour = (typeof hostileBehaviours)[number];

export interface HostileS3Options {
  /** Loopback address to listen on (default 127.0.0.1; tests use 127.0.0.2 to tell it from a canary). */
  host?: string;
  port?: number;
  /** What every request gets unless its bucket is named after a behaviour (`/trickle/...`). */
  mode?: HostileBehaviour;
  trickleMs?: number;
  hugeListBytes?: number;
  hugeObjectBytes?: number;
  /** Where `redirect` points (e.g. a canary on another loopback address). */
  redirectTo?: string;
}

export interface HostileS3 {
  /** `http://host:port`: use path-style addressing; the bucket name may select the behaviour. */
  readonly endpoint: string;
  /** TCP connections accepted and requests seen so far. */
  readonly stats: { connections: number; requests: number; bytesSent: number };
  /** Every request seen, as `METHOD /path?query`. */
  readonly log: string[];
  setMode(mode: HostileBehaviour): void;
  /** Stores an object as `honest` would have after a PUT. */
  putObject(bucket: string, key: string, body: Uint8Array): void;
  close(): Promise<void>;
}

const BACKDATED = new Date('2001-01-01T00:00:00Z');
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `total` bytes made by `chunk(i)`, honouring backpressure, until done or the client goes away. */
async function stream(res: ServerResponse, total: number, chunk: (i: number) => Buffer, sent: (n: number) => void): Promise<void> {
  let written = 0;
  for (let i = 0; written < total && !res.destroyed; i++) {
    const c = chunk(i).subarray(0, total - written);
    written += c.length;
    sent(c.length);
    if (!res.write(c)) {
      await new Promise<void>((resolve) => {
        const done = () => (res.off('drain', done), res.off('close', done), resolve());
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
}

function listPage(bucket: string, prefix: string, entries: Array<{ key: string; size: number; lastModified: Date }>, next?: string): string {
  const contents = entries
    .map((e) => `<Contents><Key>${xmlEscape(e.key)}</Key><LastModified>${e.lastModified.toISOString()}</LastModified><ETag>"0"</ETag><Size>${e.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${entries.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${next !== undefined}</IsTruncated>${next !== undefined ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`;
}

/** A hostile S3-compatible endpoint on loopback: each behaviour above, chosen per server or per bucket. */
export async function startHostileS3(options: HostileS3Options = {}): Promise<HostileS3> {
  let mode: HostileBehaviour = options.mode ?? 'honest';
  const trickleMs = options.trickleMs ?? 2000;
  const objects = new Map<string, { body: Uint8Array; lastModified: Date }>();
  const stats = { connections: 0, requests: 0, bytesSent: 0 };
  const log: string[] = [];
  const sockets = new Set<Socket>();
  const sent = (n: number) => (stats.bytesSent += n);
  let swaps = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    log.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const behaviour = (hostileBehaviours as readonly string[]).includes(bucket) ? (bucket as HostileBehaviour) : mode;
    const isList = req.method === 'GET' && key === '' && url.searchParams.get('list-type') === '2';
    const prefix = url.searchParams.get('prefix') ?? '';
    const stored = objects.get(`${bucket}/${key}`);
    const lastModified = (d: Date) => (behaviour === 'backdate' ? BACKDATED : d);

    switch (behaviour) {
      case 'hang':
        return; // the socket stays open, unanswered
      case 'trickle-headers': {
        const head = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
        for (let i = 0; i < head.length && !req.socket.destroyed; i++) {
          req.socket.write(head.subarray(i, i + 1));
          sent(1);
          await sleep(trickleMs);
        }
        return;
      }
      case 'redirect':
        res.writeHead(307, { location: `${options.redirectTo ?? 'http://127.0.0.1:9'}${req.url ?? '/'}`, 'x-amz-bucket-region': 'us-west-2' });
        return res.end();
      case 'huge-list':
        if (isList) {
          res.writeHead(200, { 'content-type': 'application/xml' });
          const entry = (i: number) => `<Contents><Key>gradients/1/${'k'.repeat(200)}${i}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"0"</ETag><Size>1</Size></Contents>`;
          const first = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><IsTruncated>false</IsTruncated>`);
          return stream(res, options.hugeListBytes ?? 400 * 2 ** 20, (i) => (i === 0 ? first : Buffer.from(Array.from({ length: 256 }, (_, j) => entry(i * 256 + j)).join(''))), sent);
        }
        break;
      case 'endless-pages':
        if (isList) {
          const page = Number(url.searchParams.get('continuation-token')?.split('-')[0] ?? 0) + 1;
          const entries = [{ key: `${prefix}page-${page}`, size: 1, lastModified: new Date() }];
          res.writeHead(200, { 'content-type': 'application/xml' });
          return res.end(listPage(bucket, prefix, entries, `${page}-${randomBytes(8).toString('hex')}`));
        }
        break;
      case 'huge-object':
        if (req.method === 'GET' || req.method === 'HEAD') {
          const size = options.hugeObjectBytes ?? 2 * 2 ** 30;
          res.writeHead(200, { 'content-length': String(size), 'last-modified': new Date().toUTCString() });
          if (req.method === 'HEAD') return res.end();
          const zeros = Buffer.alloc(64 * 1024);
          return stream(res, size, () => zeros, sent);
        }
        break;
      case 'huge-stream':
        if (req.method === 'GET' && !isList) {
          res.writeHead(200, { 'last-modified': new Date().toUTCString() });
          const ones = Buffer.alloc(64 * 1024, 1);
          return stream(res, options.hugeObjectBytes ?? 2 * 2 ** 30, () => ones, sent);
        }
        break;
      case 'trickle':
        if (req.method === 'GET' && !isList) {
          const body = stored?.body ?? new Uint8Array(1000);
          res.writeHead(200, { 'content-length': String(body.length) });
          for (let i = 0; i < body.length && !res.destroyed; i++) {
            res.write(body.subarray(i, i + 1));
            sent(1);
            await sleep(trickleMs);
          }
          return res.end();
        }
        break;
      default:
        break;
    }

    // honest (and the parts of the others that behave)
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (key !== '') objects.set(`${bucket}/${key}`, { body: new Uint8Array(Buffer.concat(chunks)), lastModified: new Date() });
      res.writeHead(200, { etag: '"0"' });
      return res.end();
    }
    if (isList) {
      const entries = [...objects.entries()]
        .filter(([k]) => k.startsWith(`${bucket}/${prefix}`))
        .map(([k, o]) => ({ key: k.slice(bucket.length + 1), size: o.body.length, lastModified: lastModified(o.lastModified) }))
        .sort((a, b) => (a.key < b.key ? -1 : 1));
      res.writeHead(200, { 'content-type': 'application/xml' });
      return res.end(listPage(bucket, prefix, entries));
    }
    if (key === '') {
      res.writeHead(200);
      return res.end();
    }
    if (!stored) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      return res.end(req.method === 'HEAD' ? undefined : `<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>no such key</Message><Key>${xmlEscape(key)}</Key></Error>`);
    }
    let body = stored.body;
    if (behaviour === 'swap' && req.method === 'GET') {
      body = Uint8Array.from(stored.body);
      const at = ++swaps % Math.max(1, body.length);
      if (body.length > 0) body[at] = body[at]! ^ 0xff;
    }
    res.writeHead(200, {
      'content-length': String(body.length),
      'last-modified': lastModified(stored.lastModified).toUTCString(),
      etag: '"0"',
      [`x-amz-meta-${CONTENT_HASH_METADATA}`]: contentHash(body),
    });
    if (req.method === 'HEAD') return res.end();
    sent(body.length);
    res.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.address}:${address.port}`,
    stats,
    log,
    setMode: (m) => (mode = m),
    putObject: (bucket, key, body) => objects.set(`${bucket}/${key}`, { body: Uint8Array.from(body), lastModified: new Date() }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A TCP listener that only counts who connects: where nothing may ever connect under the policy. */
export interface ConnectionCanary {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function startConnectionCanary(host = '127.0.0.1'): Promise<ConnectionCanary> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
