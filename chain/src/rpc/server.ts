/**
 * JSON-RPC over WebSocket and HTTP POST on one port (like a Substrate node). A misbehaving client gets
 * JSON-RPC errors or its socket closed; it never takes the node down.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleMessage, type Handler, type RpcConnection } from './jsonRpc.js';

/** Substrate's default maximum request/response size. */
const MAX_PAYLOAD = 15 * 1024 * 1024;
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 1024;

export interface RpcServerOptions {
  readonly host: string;
  readonly port: number;
  readonly methods: ReadonlyMap<string, Handler>;
  readonly onError: (method: string, err: unknown) => void;
  readonly onRequest?: (transport: 'ws' | 'http') => void;
}

export interface RpcServer {
  readonly port: number;
  readonly connections: () => number;
  close(): Promise<void>;
}

class WsConnection implements RpcConnection {
  readonly supportsSubscriptions = true;
  private readonly subs = new Map<string, { kind: string; teardown: () => void }>();

  constructor(private readonly ws: WebSocket) {}

  send(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  notify(method: string, subscription: string, result: unknown): void {
    if (!this.subs.has(subscription)) return;
    this.send(JSON.stringify({ jsonrpc: '2.0', method, params: { subscription, result } }));
  }

  addSubscription(kind: string, teardown: () => void): string {
    if (this.subs.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      teardown();
      throw new Error('too many subscriptions on this connection');
    }
    const id = randomBytes(8).toString('hex');
    this.subs.set(id, { kind, teardown });
    return id;
  }

  removeSubscription(kind: string, id: string): boolean {
    const s = this.subs.get(id);
    if (s === undefined || s.kind !== kind) return false;
    this.subs.delete(id);
    s.teardown();
    return true;
  }

  closeAll(): void {
    for (const s of this.subs.values()) s.teardown();
    this.subs.clear();
  }
}

const httpConnection: RpcConnection = {
  supportsSubscriptions: false,
  notify() {},
  addSubscription() {
    throw new Error('no subscriptions over HTTP');
  },
  removeSubscription() {
    return false;
  },
};

export async function startRpcServer(opts: RpcServerOptions): Promise<RpcServer> {
  const lookup = (m: string) => opts.methods.get(m);
  const http: Server = createServer((req, res) => handleHttp(req, res, lookup, opts));
  const wss = new WebSocketServer({ server: http, maxPayload: MAX_PAYLOAD });
  const live = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    live.add(ws);
    const conn = new WsConnection(ws);
    ws.on('message', (data, isBinary) => {
      opts.onRequest?.('ws');
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      void handleMessage(text, conn, lookup, opts.onError).then((out) => {
        if (out !== undefined) conn.send(out);
      });
    });
    ws.on('close', () => {
      live.delete(ws);
      conn.closeAll();
    });
    ws.on('error', () => ws.terminate());
  });
  wss.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    connections: () => live.size,
    close: async () => {
      // Close handshakes first so clients see a normal closure; stragglers are cut after a moment.
      for (const ws of live) ws.close(1001, 'node shutting down');
      const deadline = Date.now() + 500;
      while (live.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const ws of live) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections();
    },
  };
}

function handleHttp(req: IncomingMessage, res: ServerResponse, lookup: (m: string) => Handler | undefined, opts: RpcServerOptions): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-headers', 'content-type');
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"isSyncing":false,"peers":0,"shouldHavePeers":false}');
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { 'content-type': 'text/plain' }).end('Use POST for JSON-RPC, or a WebSocket upgrade\n');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_PAYLOAD) {
      res.writeHead(413).end();
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    if (size > MAX_PAYLOAD) return;
    opts.onRequest?.('http');
    void handleMessage(Buffer.concat(chunks).toString('utf8'), httpConnection, lookup, opts.onError).then((out) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(out ?? '');
    });
  });
}
