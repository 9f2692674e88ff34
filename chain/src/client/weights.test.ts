import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '@crucible/core';
import { randomSalt, weightsCommitHash } from './commitReveal.js';
import { jsonFileCommitStore } from './weightCommitStore.js';
import { prepareWeights } from './weights.js';

describe('prepareWeights', () => {
  it('sorts by uid and max-upscales so the largest weight is 65535', () => {
    expect(prepareWeights(new Map([[5, 0.2], [1, 0.4], [3, 0]]))).toEqual({ dests: [1, 3, 5], weights: [65535, 0, 32768] });
  });
  it('rejects negative, non-finite and all-zero scores and impossible uids with USAGE', () => {
    for (const scores of [new Map([[1, -1]]), new Map([[1, Number.NaN]]), new Map([[1, 0]]), new Map([[70000, 1]])]) {
      expect(() => prepareWeights(scores)).toThrowError(expect.objectContaining({ code: 'USAGE' }));
    }
    try {
      prepareWeights(new Map());
    } catch (error) {
      expect(isCrucibleError(error, 'USAGE')).toBe(true);
    }
  });
});


describe('weightsCommitHash', () => {
  it('matches the chain’s BlakeTwo256(SCALE(hotkey, netuid, uids, values, salt, version_key)) (reference vector)', () => {
    const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    expect(weightsCommitHash(alice, 1, [0, 1], [65535, 32768], [1, 2, 3, 4, 5, 6, 7, 8], 0n)).toBe('0x15d1d763685dfce22d8650296059d5767f0932787b33a80c31d996c3d36b6eef');
  });
  it('draws eight random u16 salts', () => {
    const salt = randomSalt();
    expect(salt).toHaveLength(8);
    expect(salt.every((v) => Number.isInteger(v) && v >= 0 && v <= 65535)).toBe(true);
  });
});

describe('jsonFileCommitStore', () => {
  it('keeps commits across instances and refuses a file that is not a commit file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-store-'));
    try {
      const path = join(dir, 'nested', 'commits.json');
      expect(await jsonFileCommitStore(path).load()).toEqual([]);
      const commit = { netuid: 1, hotkey: 'h', hash: `0x${'ab'.repeat(32)}`, uids: [0], values: [65535], salt: [1, 2], versionKey: '0', commitBlock: 9, commitEpoch: 2 };
      await jsonFileCommitStore(path).save([commit]);
      expect(await jsonFileCommitStore(path).load()).toEqual([commit]);
      writeFileSync(path, JSON.stringify({ version: 1, commits: [{ ...commit, salt: 'lost' }] }));
      await expect(jsonFileCommitStore(path).load()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
