import { join } from 'node:path';
import { spawnService, type ServiceProcess } from '../services/childProcess.js';
import { waitUntil } from '../services/waitUntil.js';
import { packageBin } from './packageBin.js';

export interface DevnetProcessOptions {
  dir: string;
  port: number;
  blockTimeMs: number;
  detached: boolean;
  timeoutMs?: number;
  /** Keep the chain in memory only (`--tmp`) instead of under `dir`/chain. Default false. */
  inMemory?: boolean;
}

/** The best block of a node, over JSON-RPC HTTP POST on its WebSocket port; undefined when it doesn't answer. */
export async function rpcBestBlock(httpEndpoint: string): Promise<number | undefined> {
  try {
    const response = await fetch(httpEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_getHeader', params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { result?: { number?: string } };
    return body.result?.number === undefined ? undefined : Number.parseInt(body.result.number, 16);
  } catch {
    return undefined;
  }
}

export function devnetArgs(options: Pick<DevnetProcessOptions, 'dir' | 'port' | 'blockTimeMs' | 'inMemory'>): string[] {
  // Persisted by default, so a devnet killed with -9 (faults suite) or stopped by `down` continues from
  // its last block.
  return [
    packageBin('@crucible/chain', 'crucible-chain'),
    '--rpc-port', String(options.port),
    '--rpc-host', '127.0.0.1',
    '--block-time-ms', String(options.blockTimeMs),
    ...(options.inMemory === true ? ['--tmp'] : ['--base-path', join(options.dir, 'chain')]),
    '--metrics.enabled', 'false',
    '--logging.format', 'json',
  ];
}

/** Starts `crucible-chain` as its own process and waits until it answers JSON-RPC. */
export async function startDevnetProcess(options: DevnetProcessOptions): Promise<{ process: ServiceProcess; endpoint: string; httpEndpoint: string }> {
  const child = spawnService('chain', process.execPath, devnetArgs(options), { logFile: join(options.dir, 'logs', 'chain.log'), detached: options.detached });
  const httpEndpoint = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntil(`devnet on port ${options.port}`, async () => (await rpcBestBlock(httpEndpoint)) !== undefined, {
      timeoutMs: options.timeoutMs ?? 60_000,
      intervalMs: 200,
      alive: () => child.exitReason(),
    });
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
  return { process: child, endpoint: `ws://127.0.0.1:${options.port}`, httpEndpoint };
}
