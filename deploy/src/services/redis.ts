import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { CrucibleError } from '@crucible/core';
import { spawnService, type ServiceProcess } from './childProcess.js';
import { freePort } from './freePort.js';
import { waitUntil } from './waitUntil.js';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly process: ServiceProcess;
  close(): Promise<void>;
}

function which(binary: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds Debian's `redis-server`, installing it with apt-get when it is missing and we are root; a
 * non-root user gets the command to run instead.
 */
export function ensureRedisServer(log: (line: string) => void = () => {}): string {
  const found = which('redis-server');
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new CrucibleError('SERVICE_START_FAILED', 'redis-server is not installed; run: sudo apt-get install -y redis-server');
  }
  log('redis-server missing; installing it with apt-get');
  try {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'ignore' });
  } catch (cause) {
    throw new CrucibleError('SERVICE_START_FAILED', 'could not install redis-server with apt-get', { cause });
  }
  const installed = which('redis-server');
  if (!installed) throw new CrucibleError('SERVICE_START_FAILED', 'redis-server still missing after apt-get install');
  return installed;
}

/** Sends a RESP PING and waits for +PONG. */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export interface StartRedisOptions {
  /** Folder for its data (append-only file) and log. */
  dir: string;
  port?: number;
  /** Keep data on disk across restarts (append-only file); tests that kill Redis need this. */
  persist?: boolean;
  detached?: boolean;
  timeoutMs?: number;
}

export async function startRedis(options: StartRedisOptions): Promise<RedisServer> {
  const binary = ensureRedisServer();
  const port = options.port ?? (await freePort());
  const dataDir = join(options.dir, 'redis');
  mkdirSync(dataDir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--daemonize', 'no', '--protected-mode', 'yes'];
  args.push('--appendonly', options.persist ? 'yes' : 'no');
  const child = spawnService('redis', binary, args, { logFile: join(options.dir, 'logs', 'redis.log'), detached: options.detached ?? false });
  try {
    await waitUntil(`redis-server on port ${port}`, () => pingRedis(port), {
      timeoutMs: options.timeoutMs ?? 15_000,
      alive: () => child.exitReason(),
    });
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, process: child, close: () => child.stop() };
}
