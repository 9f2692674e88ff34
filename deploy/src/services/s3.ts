import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnService, type ServiceProcess } from './childProcess.js';
import { freePort } from './freePort.js';
import { waitUntil } from './waitUntil.js';
import { httpOk } from './httpOk.js';

/**
 * A local S3-compatible server (s3rver) as its own process. It accepts any credentials and checks no
 * signatures, so it is only for loopback development and tests; clients must use path-style URLs and
 * `requestChecksumCalculation: 'WHEN_REQUIRED'`.
 */
export interface S3Server {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly buckets: readonly string[];
  readonly process: ServiceProcess;
  close(): Promise<void>;
}

export interface StartS3Options {
  dir: string;
  port?: number;
  buckets?: string[];
  detached?: boolean;
  timeoutMs?: number;
}

// Same relative path from src/services and dist/services.
const mainScript = fileURLToPath(new URL('../../bin/s3rver-main.cjs', import.meta.url));

export async function startS3Server(options: StartS3Options): Promise<S3Server> {
  const port = options.port ?? (await freePort());
  const directory = join(options.dir, 's3');
  mkdirSync(directory, { recursive: true });
  const buckets = options.buckets ?? [];
  const args = ['--openssl-legacy-provider', mainScript, '--port', String(port), '--address', '127.0.0.1', '--directory', directory];
  for (const bucket of buckets) args.push('--bucket', bucket);
  const child = spawnService('s3', process.execPath, args, { logFile: join(options.dir, 'logs', 's3.log'), detached: options.detached ?? false });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    // ListBuckets answers 200 once the server accepts requests.
    await waitUntil(`S3 server on port ${port}`, () => httpOk(endpoint + '/'), { timeoutMs: options.timeoutMs ?? 20_000, alive: () => child.exitReason() });
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
  return { endpoint, port, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', buckets, process: child, close: () => child.stop() };
}
