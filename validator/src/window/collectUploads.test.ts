import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { paramTable, type Corpus } from '@crucible/model';
import type { RunConfig } from '@crucible/protocol';
import { gradientKey, ownBucket, type S3Store } from '@crucible/storage';
import { openOwnStore } from '../neuron/bucket.js';
import { testStorage, tinyCorpus, tinyRun } from '../testing/fixtures.js';
import { UpdateFactory } from '../testing/simulatedMiner.js';
import { collectUploads, type Miner } from './collectUploads.js';

let run: RunConfig;
let corpus: Corpus;
let factory: UpdateFactory;
let store: S3Store;
let miner: Miner;
let key: Keypair;
let bytes: Uint8Array;
const base = { params: new Map<string, Float32Array>(), paramsHash: `0x${'12'.repeat(32)}` };

beforeAll(async () => {
  await cryptoReady();
  corpus = await tinyCorpus();
  run = tinyRun(1, { trainPages: corpus.trainPageCount });
  factory = await UpdateFactory.create(run, corpus);
  const storage = testStorage('collect');
  store = (await openOwnStore(storage)).store;
  key = keypairFromUri(`//Collect/${randomBytes(2).toString('hex')}`);
  miner = { uid: 3, hotkey: key.address, pointer: ownBucket(storage).pointer, store };
  bytes = factory.encode(factory.noise('collect', 1e-3), { window: 9, base, signer: key });
});

afterAll(async () => {
  await factory?.close();
  store?.close();
});

const collect = (window: number, lateAfter?: number) =>
  collectUploads([miner], { window, table: paramTable(run.model), codec: run.codec, ...(lateAfter === undefined ? {} : { lateAfter }) });

describe('collecting a window\'s uploads from a miner\'s bucket', () => {
  it('accepts a signed upload in time and refuses the same object after the deadline as late', async () => {
    await store.put(gradientKey(9, key.address), bytes);
    const onTime = await collect(9, Date.now() + 60_000);
    expect(onTime.refusals).toEqual([]);
    expect(onTime.uploads[0]).toMatchObject({ hotkey: key.address, uid: 3, window: 9 });
    expect(onTime.uploads[0]!.update.norm).toBeGreaterThan(0);
    const late = await collect(9, Date.now() - 60_000);
    expect(late.refusals).toEqual([expect.objectContaining({ reason: 'late' })]);
  });

  it('refuses a missing object, another window\'s artifact, another signer\'s, and garbage, with reasons', async () => {
    expect((await collect(10)).refusals[0]).toMatchObject({ reason: 'missing' });
    await store.put(gradientKey(11, key.address), bytes);
    expect((await collect(11)).refusals[0]).toMatchObject({ reason: 'invalid', detail: expect.stringMatching(/CONTEXT_MISMATCH/) });
    const other = keypairFromUri('//Collect/other');
    await store.put(gradientKey(12, key.address), factory.encode(factory.noise('x', 1e-3), { window: 12, base, signer: other }));
    expect((await collect(12)).refusals[0]).toMatchObject({ reason: 'invalid', detail: expect.stringMatching(/SIGNER_MISMATCH/) });
    await store.put(gradientKey(13, key.address), randomBytes(300));
    expect((await collect(13)).refusals[0]).toMatchObject({ reason: 'invalid', detail: expect.stringMatching(/BAD_MAGIC|TOO_SHORT/) });
    expect((await collectUploads([{ ...miner, store: undefined, pointer: undefined }], { window: 9, table: paramTable(run.model), codec: run.codec })).refusals[0]).toMatchObject({ reason: 'unavailable' });
  });
});
