import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DashboardCheckpoint, LocalSubnet } from '@crucible/deploy';
import { fetchManifest } from '@crucible/protocol';
import { createS3Store } from '@crucible/storage';
import { chainProblems } from '../support/checkpointChain.js';
import { localSubnetSuite } from '../support/localSubnetSuite.js';
import { dashboardState, waitFor } from '../support/waitFor.js';

/**
 * Faults: kill -9 of a miner, the validator, Redis, the S3 server and the devnet, one after another at
 * checkpoint boundaries, each restarted. The run goes on publishing checkpoints; every checkpoint seen
 * before a fault is still there after it, all form one linked chain (nothing lost, nothing forked), and
 * the killed miner comes back with the error feedback it had committed.
 */
const FAULTS = ['miner-0', 'validator-0', 'redis', 's3', 'chain'] as const;

function minerState(subnet: LocalSubnet, name: string): { errorFeedback: string | null; lastUploadedWindow: number | null } {
  return JSON.parse(readFileSync(join(subnet.dir, 'state', name, 'state.json'), 'utf8')) as { errorFeedback: string | null; lastUploadedWindow: number | null };
}

describe('faults: kill -9 and restart each process', () => {
  const suite = localSubnetSuite('faults', { validators: 1, miners: 3, blockTimeMs: 500, blocksPerWindow: 20 });

  const checkpoints = async () => (await dashboardState(suite.subnet)).checkpoints;
  const nextCheckpointAfter = (window: number) =>
    waitFor(`a checkpoint after window ${window}`, async () => {
      const cps = await checkpoints();
      return cps.at(-1) !== undefined && cps.at(-1)!.window > window ? cps : undefined;
    }, { timeoutMs: 6 * 60_000, intervalMs: 2000 });

  it('keeps publishing one linked chain of checkpoints and keeps the miner\'s error feedback', async () => {
    let seen: DashboardCheckpoint[] = await nextCheckpointAfter(0);
    for (const name of FAULTS) {
      let efBefore: { file: string; sha: string } | undefined;
      if (name.startsWith('miner')) {
        const state = await waitFor('miner-0 to commit error feedback', async () => minerState(suite.subnet, name).errorFeedback ?? undefined, { timeoutMs: 120_000 });
        const file = join(suite.subnet.dir, 'state', name, state);
        efBefore = { file: state, sha: createHash('sha256').update(readFileSync(file)).digest('hex') };
      }
      await suite.subnet.kill(name, 'SIGKILL');
      if (efBefore) {
        // What the killed miner had committed is still named and intact on disk.
        const after = minerState(suite.subnet, name);
        const file = join(suite.subnet.dir, 'state', name, after.errorFeedback ?? '');
        expect(after.errorFeedback).not.toBeNull();
        expect(existsSync(file)).toBe(true);
        if (after.errorFeedback === efBefore.file) expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(efBefore.sha);
      }
      await new Promise((r) => setTimeout(r, 3000));
      await suite.subnet.restart(name);
      const last = seen.at(-1)!.window;
      const now = await nextCheckpointAfter(last);
      // Nothing seen before the fault disappeared or changed, and the chain is unforked.
      for (const old of seen) expect(now.find((c) => c.window === old.window)?.paramsHash).toBe(old.paramsHash);
      expect(chainProblems(now)).toEqual([]);
      seen = now;
      console.log(`after killing ${name}: checkpoints up to window ${now.at(-1)!.window}`);
    }
    // The dashboard remembers what it saw; the aggregator's bucket must still serve the newest
    // checkpoints, unchanged, after all five faults.
    const creds = { accessKeyId: suite.subnet.s3.accessKeyId, secretAccessKey: suite.subnet.s3.secretAccessKey };
    const bucket = createS3Store({ endpoint: suite.subnet.s3.endpoint, region: suite.subnet.s3.region, bucket: 'validator-0', read: creds, forcePathStyle: true }, { access: 'read' });
    try {
      for (const c of seen.slice(-3)) expect((await fetchManifest(bucket, c.window))?.manifest.paramsHash).toBe(c.paramsHash);
    } finally {
      bucket.close();
    }
    const log = readFileSync(join(suite.subnet.dir, 'logs', 'miner-0.log'), 'utf8');
    expect(log).not.toMatch(/saved error feedback does not fit this model; starting from zero/);
    const uploadedAfter = minerState(suite.subnet, 'miner-0').lastUploadedWindow;
    expect(uploadedAfter).not.toBeNull();
  }, 40 * 60_000);

  it('resumes aggregation when the validator restarts after retention removed the first checkpoints from its bucket', async () => {
    // Retention keeps the newest few checkpoints in the aggregator's bucket; a validator restarted
    // after that must still find (or have kept) a verified head to follow from.
    const cps = await waitFor('8 published checkpoints', async () => {
      const all = await checkpoints();
      return all.length >= 9 ? all : undefined;
    }, { timeoutMs: 6 * 60_000, intervalMs: 2000 });
    await suite.subnet.kill('validator-0', 'SIGKILL');
    await suite.subnet.restart('validator-0');
    const last = cps.at(-1)!.window;
    const after = await waitFor(`a checkpoint after window ${last} from the restarted validator`, async () => {
      const all = await checkpoints();
      return all.at(-1)!.window > last + 1 ? all : undefined;
    }, { timeoutMs: 3 * 60_000, intervalMs: 2000 });
    expect(chainProblems(after)).toEqual([]);
  }, 12 * 60_000);
});
