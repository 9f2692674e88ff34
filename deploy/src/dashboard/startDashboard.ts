import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CrucibleError, keypairFromUri, type Logger } from '@crucible/core';
import { errorText } from './errorText.js';
import { addStake, connectChain, type ChainClient } from '@crucible/chain';
import { createStateCollector, type DashboardState, type StateCollectorOptions } from './collectState.js';

export interface DashboardOptions {
  chainEndpoint: string;
  netuid: number;
  blocksPerWindow: number;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  names?: ReadonlyMap<string, string>;
  validatorStateDirs?: readonly string[];
  /** A local subnet's folder: its processes and their restarts are shown. */
  localDir?: string;
  /** How neurons' buckets are read (endpoint policy, per-refresh deadline, per-neuron budget). */
  peerReads?: StateCollectorOptions['peerReads'];
  /** How often the snapshot is rebuilt (default 1000 ms). */
  refreshMs?: number;
  /** Serve the dev-account staking form's POST /api/stake (loopback development only). Default true. */
  devStaking?: boolean;
  logger?: Logger;
}

export interface Dashboard {
  readonly url: string;
  latest(): DashboardState | undefined;
  close(): Promise<void>;
}

/** The well-known dev accounts the staking form may sign with; nothing else is ever accepted. */
export const DEV_STAKERS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;

// Same relative path from src/dashboard and dist/dashboard.
const staticDir = new URL('../../dashboard/', import.meta.url);
const staticFiles: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit = 4096): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new CrucibleError('USAGE', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses the staking form: `{ account: 'Bob', hotkey: '5…', amountTao: 10 }`. */
export function parseStakeRequest(body: string): { account: (typeof DEV_STAKERS)[number]; hotkey: string; amountRao: bigint } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new CrucibleError('USAGE', 'expected a JSON body');
  }
  const p = parsed as { account?: unknown; hotkey?: unknown; amountTao?: unknown };
  const account = DEV_STAKERS.find((a) => a === p.account);
  if (!account) throw new CrucibleError('USAGE', `account must be one of ${DEV_STAKERS.join(', ')}`);
  if (typeof p.hotkey !== 'string' || p.hotkey.length < 40) throw new CrucibleError('USAGE', 'hotkey must be an ss58 address');
  if (typeof p.amountTao !== 'number' || !(p.amountTao > 0) || p.amountTao > 1_000_000) throw new CrucibleError('USAGE', 'amountTao must be a positive number');
  return { account, hotkey: p.hotkey, amountRao: BigInt(Math.round(p.amountTao * 1e9)) };
}

/**
 * The dashboard: a static page and `/api/state` (a snapshot rebuilt every `refreshMs` from the chain,
 * the checkpoint manifests in the neurons' buckets and the validators' state), on loopback.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const logger = options.logger;
  const client: ChainClient = await connectChain({ endpoint: options.chainEndpoint, connectTimeoutMs: 60_000, ...(logger ? { logger } : {}) });
  const collect = createStateCollector({
    client,
    netuid: options.netuid,
    blocksPerWindow: options.blocksPerWindow,
    ...(options.names ? { names: options.names } : {}),
    ...(options.validatorStateDirs ? { validatorStateDirs: options.validatorStateDirs } : {}),
    ...(options.localDir !== undefined ? { localDir: options.localDir } : {}),
    ...(options.peerReads ? { peerReads: options.peerReads } : {}),
    ...(logger ? { logger } : {}),
  });
  let latest: DashboardState | undefined;
  let lastError: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | undefined;

  const refresh = () =>
    (inflight ??= collect()
      .then((state) => {
        latest = state;
        lastError = undefined;
      })
      .catch((error: unknown) => {
        const message = errorText(error);
        if (message !== lastError) logger?.warn('dashboard refresh failed', { error: message });
        lastError = message;
      })
      .finally(() => {
        inflight = undefined;
        if (!stopped) timer = setTimeout(() => void refresh(), options.refreshMs ?? 1000);
      }));

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void (async () => {
      try {
        if (req.method === 'GET' && url.pathname === '/api/health') return send(res, 200, JSON.stringify({ ok: true, hasState: latest !== undefined }));
        if (req.method === 'GET' && url.pathname === '/api/state') {
          if (!latest) await refresh();
          if (!latest) return send(res, 503, JSON.stringify({ error: lastError ?? 'no state yet' }));
          return send(res, 200, JSON.stringify(latest));
        }
        if (req.method === 'POST' && url.pathname === '/api/stake' && (options.devStaking ?? true)) {
          const stake = parseStakeRequest(await readBody(req));
          const receipt = await addStake(client, keypairFromUri(`//${stake.account}`), stake.hotkey, options.netuid, stake.amountRao);
          logger?.info('dev stake added', { account: stake.account, hotkey: stake.hotkey, rao: stake.amountRao.toString() });
          return send(res, 200, JSON.stringify({ ok: true, block: receipt.blockNumber }));
        }
        const file = req.method === 'GET' ? staticFiles[url.pathname] : undefined;
        if (file) return send(res, 200, readFileSync(fileURLToPath(new URL(file.file, staticDir)), 'utf8'), file.type);
        send(res, 404, JSON.stringify({ error: 'not found' }));
      } catch (error) {
        const usage = error instanceof CrucibleError && error.code === 'USAGE';
        send(res, usage ? 400 : 500, JSON.stringify({ error: errorText(error) }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  void refresh();
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address.address}:${address.port}`,
    latest: () => latest,
    close: () =>
      (closing ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await inflight;
        clearTimeout(timer);
        await client.close();
      })()),
  };
}
