import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { StateStore } from './stateStore.js';

const identity = { hotkey: '5Hot', netuid: 3, genesisHash: '0xabc' };
const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'miner-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the miner state folder', () => {
  it('starts empty and survives a reopen with exactly the committed files', async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    expect(store.state.lastUploadedWindow).toBeNull();
    const ef = store.fileName('error-feedback', 'safetensors');
    await store.commit({ [ef]: new Uint8Array([1, 2, 3]) }, (s) => ({ ...s, errorFeedback: ef, lastUploadedWindow: 7 }));
    const reopened = await StateStore.open(dir, identity);
    expect(reopened.state.lastUploadedWindow).toBe(7);
    expect([...(await reopened.read(ef))]).toEqual([1, 2, 3]);
  });

  it('drops files no commit names (a crash between writing payload and committing) and superseded ones', async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    const a = store.fileName('error-feedback', 'safetensors');
    await store.commit({ [a]: new Uint8Array([1]) }, (s) => ({ ...s, errorFeedback: a }));
    const b = store.fileName('error-feedback', 'safetensors');
    await store.commit({ [b]: new Uint8Array([2]) }, (s) => ({ ...s, errorFeedback: b }));
    writeFileSync(join(dir, 'upload-9-99.crg'), 'half written');
    writeFileSync(join(dir, 'state.json.tmp-123'), '{');
    await StateStore.open(dir, identity);
    expect(readdirSync(dir).sort()).toEqual([b, 'state.json'].sort());
  });

  it('keeps a file written ahead once a commit names it, and drops one no commit named', async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    const moments = store.fileName('adamw', 'safetensors');
    const orphan = store.fileName('error-feedback', 'safetensors');
    const given = store.fileName('error-feedback', 'safetensors');
    await Promise.all([store.writeAhead(moments, [new Uint8Array([4]), new Uint8Array([5, 6])]), store.writeAhead(orphan, new Uint8Array([9])), store.writeAhead(given, new Uint8Array([8]))]);
    await store.commit({}, (s) => ({ ...s, optimizer: moments }), { sync: false, written: [moments] });
    store.discard(given);
    await store.flush();
    expect(readdirSync(dir).sort()).toEqual([moments, orphan, 'state.json'].sort());
    const reopened = await StateStore.open(dir, identity);
    expect([...(await reopened.read(moments))]).toEqual([4, 5, 6]);
    expect(readdirSync(dir).sort()).toEqual([moments, 'state.json'].sort());
  });

  it("refuses a folder that holds another hotkey's or another chain's state", async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    await store.commit({}, (s) => s);
    for (const other of [{ ...identity, hotkey: '5Other' }, { ...identity, genesisHash: '0xdef' }, { ...identity, netuid: 4 }]) {
      const error = await StateStore.open(dir, other).catch((e: unknown) => e);
      expect(isCrucibleError(error, 'CONFIG_INVALID')).toBe(true);
    }
  });

  it('keeps concurrent commits from deleting each other\'s files', async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    const ef = store.fileName('error-feedback', 'safetensors');
    const params = store.fileName('checkpoint-3', 'safetensors');
    const manifest = store.fileName('checkpoint-3', 'crm');
    await Promise.all([
      store.commit({ [ef]: new Uint8Array(1 << 20) }, (st) => ({ ...st, errorFeedback: ef })),
      store.commit({ [params]: new Uint8Array(1 << 20), [manifest]: new Uint8Array(8) }, (st) => ({ ...st, checkpoints: [{ window: 3, params, manifest, signer: '5Sig' }] })),
    ]);
    const reopened = await StateStore.open(dir, identity);
    expect(reopened.state.errorFeedback).toBe(ef);
    expect(reopened.state.checkpoints.map((c) => c.params)).toEqual([params]);
    expect((await reopened.read(ef)).length).toBe(1 << 20);
    expect((await reopened.read(params)).length).toBe(1 << 20);
  });

  it('writes a file given as parts as their concatenation', async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    const ef = store.fileName('error-feedback', 'safetensors');
    await store.commit({ [ef]: [new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3])] }, (s) => ({ ...s, errorFeedback: ef }), { sync: false });
    expect([...(await store.read(ef))]).toEqual([1, 2, 3]);
    await store.flush();
    expect([...(await (await StateStore.open(dir, identity)).read(ef))]).toEqual([1, 2, 3]);
  });

  it('keeps what a deferred commit superseded until flush, and removes the files of a failed commit later', async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    const a = store.fileName('error-feedback', 'safetensors');
    await store.commit({ [a]: new Uint8Array([1]) }, (s) => ({ ...s, errorFeedback: a }));
    const b = store.fileName('error-feedback', 'safetensors');
    await store.commit({ [b]: new Uint8Array([2]) }, (s) => ({ ...s, errorFeedback: b }), { sync: false });
    // Until the new state is durable, the one it replaced stays complete on disk.
    expect(readdirSync(dir).sort()).toEqual([a, b, 'state.json'].sort());
    await store.flush();
    expect(readdirSync(dir).sort()).toEqual([b, 'state.json'].sort());

    const c = store.fileName('error-feedback', 'safetensors');
    const refused = await store.commit({ [c]: new Uint8Array([3]) }, (s) => ({ ...s, errorFeedback: 'Not A Valid Name' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(store.state.errorFeedback).toBe(b);
    const d = store.fileName('error-feedback', 'safetensors');
    await store.commit({ [d]: new Uint8Array([4]) }, (s) => ({ ...s, errorFeedback: d }));
    expect(readdirSync(dir).sort()).toEqual([d, 'state.json'].sort());
  });

  it('makes a commit visible at once and durable after flush when its fsyncs are deferred', async () => {
    const dir = fresh();
    const store = await StateStore.open(dir, identity);
    const file = store.fileName('upload-5', 'crg');
    await store.commit({ [file]: new Uint8Array([9]) }, (st) => ({ ...st, pending: { window: 5, file, key: 'gradients/5/x.crs', sealKey: 'ab'.repeat(32) } }), { sync: false });
    expect((await StateStore.open(dir, identity)).state.pending?.window).toBe(5);
    await store.flush();
    await store.commit({}, (st) => ({ ...st, pending: null, lastUploadedWindow: 5 }));
    const reopened = await StateStore.open(dir, identity);
    expect(reopened.state.lastUploadedWindow).toBe(5);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
