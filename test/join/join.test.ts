import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadHotkey, windowOf } from '@crucible/core';
import { currentBlock, readElectionState, setCommitment, type ChainClient } from '@crucible/chain';
import { startLocalSubnet, type LocalSubnet } from '@crucible/deploy';
import { initParams } from '@crucible/model';
import { checkpointParamsToDelete, electAggregator, fetchManifest, listCheckpointWindows, pickBaseWindow, publishCheckpoint, type Manifest } from '@crucible/protocol';
import { checkpointParamsKey, createS3Store, encodeBucketPointer, type S3Store } from '@crucible/storage';
import { acquireSubnetSlot } from '../support/subnetSlot.js';
import { tempSubnetDir } from '../support/tempSubnetDir.js';
import { waitFor } from '../support/waitFor.js';

/**
 * Joining a long-running subnet, as a new miner and a new validator do. A local subnet is first run
 * with 30 ms blocks while a long history is written: for every window, the aggregator the chain elects
 * (validator-0, once it holds a permit) signs and publishes the checkpoint into its bucket, and the
 * protocol's retention rule removes old parameters. The subnet is then brought back with 1 s blocks,
 * and validator-0 and miner-0 start for the first time, with empty state folders: each must hold the
 * newest checkpoint and act on the current base within two windows of starting. The validator is then
 * killed and restarted, and must resume from its saved follow state; then the S3 server is down for two
 * windows, which must delay following and nothing more (no checkpoint is ever refused).
 */
const BPW = 10;
const HISTORY = 300;

interface LogLine {
  msg: string;
  [field: string]: unknown;
}

function logOf(subnet: LocalSubnet, name: string): LogLine[] {
  return readFileSync(join(subnet.dir, 'logs', `${name}.log`), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

/** Writes HISTORY checkpoints, each signed by the aggregator the chain elects for its window. */
async function writeHistory(subnet: LocalSubnet, client: ChainClient): Promise<Manifest[]> {
  const creds = { accessKeyId: subnet.s3.accessKeyId, secretAccessKey: subnet.s3.secretAccessKey };
  const storeOf = (bucket: string): S3Store => createS3Store({ endpoint: subnet.s3.endpoint, region: subnet.s3.region, bucket, read: creds, write: creds, forcePathStyle: true }, { access: 'write' });
  const ownerStore = storeOf('owner');
  const store = storeOf('validator-0');
  try {
    const genesis = (await fetchManifest(ownerStore, (await listCheckpointWindows(ownerStore))[0]!))!.manifest;
    const wallet = subnet.validators[0]!;
    const key = await loadHotkey({ path: subnet.walletPath, name: wallet.name, hotkey: wallet.hotkeyName });
    // The pointer validator-0 will commit itself when it starts (crucible-local's storage flags).
    await setCommitment(client, key, subnet.netuid, encodeBucketPointer({ kind: 's3', endpoint: subnet.s3.endpoint, region: subnet.s3.region, bucket: wallet.name, ...creds }));
    const params = new Map(initParams(genesis.run.model, genesis.run.initSeed));
    const history: Manifest[] = [genesis];
    for (let w = genesis.window + 1; history.length <= HISTORY; w++) {
      const electionBlock = (w + 1) * BPW;
      while ((await currentBlock(client)) < electionBlock) await new Promise((r) => setTimeout(r, 40));
      const elected = electAggregator(await readElectionState(client, subnet.netuid, electionBlock));
      if (elected?.hotkey !== key.address) continue; // no permit yet: nobody aggregates this window
      const wte = params.get('wte.weight')!.slice();
      wte[w % wte.length]! += 1e-3;
      params.set('wte.weight', wte);
      const parent = history.at(-1)!;
      const fields = { netuid: subnet.netuid, window: w, parentHash: parent.paramsHash, parentWindow: parent.window, contributors: [], validationLoss: null, run: genesis.run };
      history.push((await publishCheckpoint(store, { config: genesis.run.model, params, metadata: {} }, fields, key)).manifest);
      if (w % 10 === 0) {
        const windows = history.slice(1).map((m) => m.window);
        const doomed = checkpointParamsToDelete(windows, windows, { keepCheckpoints: 5, snapshotEvery: 100 });
        await store.delete(doomed.map((x) => checkpointParamsKey(x)));
      }
    }
    return history;
  } finally {
    ownerStore.close();
    store.close();
  }
}

describe('joining a subnet several hundred windows old', () => {
  const folder = tempSubnetDir('join');
  let subnet: LocalSubnet | undefined;
  let release: (() => void) | undefined;
  let failed = false;

  beforeAll(async () => {
    release = await acquireSubnetSlot();
  }, 35 * 60_000);
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') failed = true;
  });
  afterAll(async () => {
    await subnet?.close();
    release?.();
    folder.cleanup(failed);
  }, 120_000);

  it('a fresh miner and a fresh validator act on the current base within two windows, and a restarted validator resumes', async () => {
    subnet = await startLocalSubnet({ dir: folder.dir, validators: 1, miners: 1, blockTimeMs: 30, blocksPerWindow: BPW, startNeurons: false, dashboard: false, chainPort: 0, redisPort: 0, s3Port: 0 });
    let started = performance.now();
    const history = await writeHistory(subnet, await subnet.client());
    const head = history.at(-1)!;
    console.log(`history: ${HISTORY} checkpoints (windows ${history[1]!.window}..${head.window}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // The chain stops where the history ends; everything else stops after it.
    await subnet.kill('chain', 'SIGTERM');
    await subnet.close();

    started = performance.now();
    subnet = await startLocalSubnet({ dir: folder.dir, blockTimeMs: 1000, dashboard: false, chainPort: 0, redisPort: 0, s3Port: 0 });
    const client = await subnet.client();
    console.log(`subnet back with 1 s blocks at block ${await currentBlock(client)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const hashOf = new Map(history.map((m) => [m.window, m.paramsHash]));

    // The miner: holds the newest checkpoint when it starts, uploads from the current base within two windows.
    const minerStart = logOf(subnet, 'miner-0').find((l) => l.msg === 'miner started')!;
    const minerWindow = windowOf(minerStart.block as number, BPW);
    expect(minerStart.checkpointWindow).toBe(head.window);
    const upload = await waitFor('miner-0 to upload an update', async () => logOf(subnet!, 'miner-0').find((l) => l.msg === 'window' && l.outcome === 'uploaded'), { timeoutMs: 5 * 60_000, intervalMs: 1000 });
    const u = upload.window as number;
    const expectedBase = pickBaseWindow(history.map((m) => m.window), u)!;
    expect(upload.baseWindow).toBe(expectedBase);
    expect(upload.baseHash).toBe(hashOf.get(expectedBase));
    expect(u - minerWindow).toBeLessThanOrEqual(2);
    expect(logOf(subnet, 'miner-0').filter((l) => l.msg === 'window').every((l) => l.reason === undefined || !/stale base/.test(String(l.reason)))).toBe(true);

    // The validator: rates against the current bases within two windows, then aggregates on the head.
    const validatorStart = logOf(subnet, 'validator-0').find((l) => l.msg === 'validator started')!;
    const validatorWindow = windowOf(validatorStart.block as number, BPW);
    const firstRated = await waitFor('validator-0 to rate a window', async () => logOf(subnet!, 'validator-0').find((l) => /^window \d+: seen/.test(l.msg)), { timeoutMs: 5 * 60_000 });
    expect((firstRated.window as number) + 1 - validatorWindow).toBeLessThanOrEqual(2);
    expect(logOf(subnet, 'validator-0').some((l) => l.msg === 'no base checkpoint for the window yet; nothing to rate')).toBe(false);
    const published = await waitFor('validator-0 to publish a checkpoint on the history', async () => logOf(subnet!, 'validator-0').find((l) => l.msg === 'checkpoint published'), { timeoutMs: 5 * 60_000 });
    expect(published.parent).toBe(head.window);
    const scored = await waitFor(`validator-0 to report window ${u}`, async () => logOf(subnet!, 'validator-0').find((l) => l.window === u && /^window \d+: seen/.test(l.msg)), { timeoutMs: 60_000 });
    expect(Object.keys(scored.scores as object)).toHaveLength(1); // the miner's update was scored against the current base

    // Restart: the validator resumes from the links it saved, then publishes on them.
    const lastBefore = logOf(subnet, 'validator-0').filter((l) => l.msg === 'checkpoint published').at(-1)!;
    await subnet.kill('validator-0', 'SIGKILL');
    await subnet.restart('validator-0');
    const restored = await waitFor('validator-0 to restore its follow state', async () => logOf(subnet!, 'validator-0').find((l) => l.msg === 'follow state restored'), { timeoutMs: 60_000 });
    expect(restored.head as number).toBeGreaterThanOrEqual(lastBefore.window as number);
    const after = await waitFor('a checkpoint published after the restart', async () => logOf(subnet!, 'validator-0').find((l) => l.msg === 'checkpoint published' && (l.window as number) > (lastBefore.window as number) && (l.parent as number) >= (lastBefore.window as number)), { timeoutMs: 4 * 60_000 });
    // A storage outage (the S3 server down for two windows) delays following; it never stops it.
    await subnet.kill('s3', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 2 * BPW * 1000));
    await subnet.restart('s3');
    const resumed = await waitFor('a checkpoint published after the storage outage', async () => logOf(subnet!, 'validator-0').find((l) => l.msg === 'checkpoint published' && (l.window as number) > (after.window as number)), { timeoutMs: 4 * 60_000 });
    await waitFor('miner-0 to train from a checkpoint made after the outage', async () => logOf(subnet!, 'miner-0').find((l) => l.msg === 'window' && l.outcome === 'uploaded' && (l.baseWindow as number) >= (resumed.window as number)), { timeoutMs: 4 * 60_000 });
    for (const name of ['miner-0', 'validator-0']) expect(logOf(subnet, name).filter((l) => l.msg === 'checkpoint refused')).toEqual([]);
    console.log(`miner joined at window ${minerWindow}, uploaded in ${u} on base ${expectedBase}; validator joined at ${validatorWindow}, first rated ${firstRated.window as number}, published ${published.window as number} on ${head.window}; after the restart it published ${after.window as number}`);
  }, 30 * 60_000);
});
