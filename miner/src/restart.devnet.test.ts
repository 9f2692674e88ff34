import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blake2b256, createWallet, toHex } from '@crucible/core';
import { createS3Store } from '@crucible/storage';
import { minerStateSchema } from './stateStore.js';
import { startSubnetFixture, type SubnetFixture } from './testing/subnetFixture.js';

// The one S3 server of the test run (test/setup/services.global.ts); each test uses buckets of its own.
const services = inject('services' as never) as { s3Endpoint: string; s3Region: string; s3AccessKeyId: string; s3SecretAccessKey: string };
const s3 = { endpoint: services.s3Endpoint, region: services.s3Region, accessKeyId: services.s3AccessKeyId, secretAccessKey: services.s3SecretAccessKey };
const root = fileURLToPath(new URL('../..', import.meta.url));
let subnet: SubnetFixture;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crucible-miner-restart-'));
  subnet = await startSubnetFixture({ s3, blockTimeMs: 500 });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await subnet?.close();
  rmSync(dir, { recursive: true, force: true });
});

type LogLine = { msg: string; [key: string]: unknown };

/** The miner's CLI from its TypeScript sources (workspace packages resolved to sources too), as a child process. */
function runMinerCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'miner/src/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'miner/tsconfig.run.json') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  const lines: LogLine[] = [];
  const waiters: Array<{ test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let buffer = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const w of [...waiters]) if (w.test(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    lines,
    exited,
    waitFor(test: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
      const seen = lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last lines: ${JSON.stringify(lines.slice(-5))}`)), timeoutMs);
        waiters.push({ test, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then(() => reject(new Error(`miner exited while waiting for ${what}; last lines: ${JSON.stringify(lines.slice(-5))}`)));
      });
    },
  };
}

const uploaded = (l: LogLine) => l.msg === 'window' && l.outcome === 'uploaded';

describe('a miner killed with SIGKILL and restarted', () => {
  it('resumes at a later window with the same error-feedback state, re-verifies its saved checkpoint and never uploads a window twice', async () => {
    const walletPath = join(dir, 'wallets');
    const wallet = await createWallet({ path: walletPath, name: 'restart', hotkey: 'default' });
    await subnet.fund(wallet.coldkeyAddress);
    const stateDir = join(dir, 'state');
    const bucket = `miner-restart-${process.pid}`;
    const args = [
      '--wallet.path', walletPath, '--wallet.name', 'restart', '--wallet.hotkey', 'default',
      '--netuid', String(subnet.netuid), '--chain.endpoint', subnet.devnet.endpoint, '--register',
      '--state-dir', stateDir,
      '--storage.endpoint', s3.endpoint, '--storage.region', s3.region, '--storage.bucket', bucket,
      '--storage.read.access-key-id', s3.accessKeyId, '--storage.read.secret-access-key', s3.secretAccessKey,
      '--storage.write.access-key-id', s3.accessKeyId, '--storage.write.secret-access-key', s3.secretAccessKey,
      // The test S3 server is on loopback.
      '--storage.allow-private-endpoints',
      '--train.threads', '1', '--timing.upload-margin-ms', '500', '--no-metrics.enabled', '--logging.format', 'json', '--logging.level', 'debug',
    ];

    const first = runMinerCli(args);
    const firstUpload = await first.waitFor(uploaded, 90_000, 'the first upload');
    // Kill as the next update starts uploading: its state is committed and the PUT is in flight (or,
    // the log line arriving a moment late, just done), the hardest point for "never twice, never lost".
    await first.waitFor((l) => l.msg === 'uploading' && (l.window as number) > (firstUpload.window as number), 60_000, 'the second upload to start');
    first.child.kill('SIGKILL');
    await first.exited;

    const state = minerStateSchema.parse(JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')));
    expect(state.lastUploadedWindow).toBeGreaterThanOrEqual(firstUpload.window as number);
    const efHash = toHex(blake2b256(readFileSync(join(stateDir, state.errorFeedback!))));
    const store = createS3Store(
      { endpoint: s3.endpoint, region: s3.region, bucket, read: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, forcePathStyle: true },
      { access: 'read' },
    );
    const before = new Map((await store.list('gradients/')).map((o) => [o.key, o.lastModified?.getTime()]));
    const uploadedBefore = first.lines.filter(uploaded).map((l) => l.window as number);

    // The saved checkpoint is re-verified on load: a flipped byte gets it dropped (and fetched again).
    expect(state.checkpoints.length).toBe(1);
    const paramsFile = join(stateDir, state.checkpoints[0]!.params!);
    const params = readFileSync(paramsFile);
    params[params.length - 1] = params[params.length - 1]! ^ 0xff;
    writeFileSync(paramsFile, params);

    const second = runMinerCli(args);
    const started = await second.waitFor((l) => l.msg === 'miner started', 60_000, 'the restart');
    expect(second.lines.map((l) => l.msg)).toContain('saved checkpoint failed re-verification; dropped');
    expect(started.restoredCheckpoints).toBe(0);
    expect(started.checkpointWindow).toBe(subnet.genesis.window);
    expect(started.errorFeedbackHash).toBe(efHash);
    expect(started.lastUploadedWindow).toBe(state.lastUploadedWindow);
    const next = await second.waitFor(uploaded, 90_000, 'an upload after the restart');
    second.child.kill('SIGTERM');
    await second.exited;
    expect(second.child.exitCode).toBe(0); // SIGTERM stops the miner cleanly

    const settled = second.lines.find((l) => /left by the previous run/.test(l.msg));
    const lastDone = settled?.msg.startsWith('update left') || settled?.msg.startsWith('uploaded the update') ? Math.max(state.lastUploadedWindow!, state.pending!.window) : state.lastUploadedWindow!;
    expect(next.window as number).toBeGreaterThan(lastDone);
    // No window is uploaded by both runs, and nothing stored before the kill was written again.
    const uploadedAfter = second.lines.filter(uploaded).map((l) => l.window as number);
    expect(uploadedAfter.filter((w) => uploadedBefore.includes(w))).toEqual([]);
    const after = new Map((await store.list('gradients/')).map((o) => [o.key, o.lastModified?.getTime()]));
    for (const [key, modified] of before) expect(after.get(key), key).toBe(modified);
    expect(second.lines.some((l) => l.level === 'error')).toBe(false);
    store.close();
  });
});
