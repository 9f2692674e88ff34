import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { createErrorFeedback, decompressTensor, sparseLoCoStep } from '@crucible/codec';
import { createPrng, initParams, paramTable } from '@crucible/model';
import { fetchManifest, type DecodedUpdate, type HeldCheckpoint } from '@crucible/protocol';
import { createMemoryStore } from '@crucible/storage';
import type { Verdict } from '@crucible/protocol';
import type { Upload } from '../window/openUploads.js';
import { tinyRun } from '../testing/fixtures.js';
import { aggregateWindow, pickContributors } from './aggregateWindow.js';

const run = tinyRun(1, { trainPages: 100 });
const table = paramTable(run.model);
let signer: Keypair;

beforeAll(async () => {
  await cryptoReady();
  signer = keypairFromUri('//Aggregator');
});

function decoded(seed: string): DecodedUpdate {
  const prng = createPrng(seed);
  const deltas = new Map(table.map((s) => [s.name, prng.fillNormal(new Float32Array(s.shape.reduce((a, b) => a * b, 1)), 1e-2)]));
  const tensors = sparseLoCoStep(createErrorFeedback(table), deltas, run.codec);
  const sparse = new Map(tensors.map((t) => [t.name, decompressTensor(t, run.codec)]));
  const norm = Math.sqrt([...sparse.values()].reduce((s, t) => s + t.values.reduce((a, v) => a + v * v, 0), 0));
  return { header: {} as DecodedUpdate['header'], config: run.codec, tensors, sparse, norm };
}

function scored(hotkey: string, uid: number, score: number): Verdict {
  return { status: 'scored', hotkey, uid, score, losses: { ownBefore: 1, ownAfter: 1, randomBefore: 1, randomAfter: 1 }, ownImprovement: 0.1, randomImprovement: score, assignedDataIndicator: 1 };
}

const head: HeldCheckpoint = {
  manifest: {
    netuid: 1,
    window: 3,
    parentHash: null,
    parentWindow: null,
    paramsHash: `0x${'ab'.repeat(32)}`,
    paramsKey: 'checkpoints/3/params.safetensors',
    paramsBytes: 1,
    contributors: [],
    validationLoss: null,
    run,
    createdAt: '',
  },
  signer: '',
  checkpoint: { config: run.model, params: initParams(run.model, run.initSeed), metadata: {} },
};

describe('aggregating a window into the next checkpoint', () => {
  it('uses the top-G scored miners, links to the held head, and signs the manifest', async () => {
    const verdicts: Verdict[] = [scored('a', 1, 0.1), scored('b', 2, 0.3), scored('c', 3, 0.2), scored('d', 4, 0.05), { status: 'rejected', hotkey: 'e', uid: 5, reason: 'copy', detail: '' }];
    expect(pickContributors(verdicts, 3).map((v) => v.hotkey)).toEqual(['b', 'c', 'a']);
    const uploads = new Map(['a', 'b', 'c', 'd'].map((h) => [h, { update: decoded(h) } as Upload]));
    const store = createMemoryStore();
    const result = (await aggregateWindow({ run, window: 5, head, verdicts, uploads, signer, store }))!;
    const m = result.published.manifest;
    expect(m).toMatchObject({ window: 5, parentHash: head.manifest.paramsHash, parentWindow: 3 });
    expect(m.contributors.map((c) => c.hotkey)).toEqual(['b', 'c', 'a']);
    const fetched = await fetchManifest(store, 5);
    expect(fetched?.signer).toBe(signer.address);
    const moved = [...result.held.checkpoint.params].some(([k, v]) => v.some((x, i) => x !== head.checkpoint.params.get(k)![i]));
    expect(moved).toBe(true);
  });

  it('publishes nothing when nobody scored, or when the head is not older than the window', async () => {
    const store = createMemoryStore();
    expect(await aggregateWindow({ run, window: 5, head, verdicts: [], uploads: new Map(), signer, store })).toBeUndefined();
    const uploads = new Map([['a', { update: decoded('a') } as Upload]]);
    expect(await aggregateWindow({ run, window: 3, head, verdicts: [scored('a', 1, 0.1)], uploads, signer, store })).toBeUndefined();
  });
});
