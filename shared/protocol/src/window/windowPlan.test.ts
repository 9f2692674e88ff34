import { describe, expect, it } from 'vitest';
import { toHex } from '@crucible/core';
import { deriveSeed, drawPages } from '@crucible/model';
import { testRunConfig } from '../run/testRun.js';
import { seedDomains } from './seedDomains.js';
import { windowPlan } from './windowPlan.js';

const run = testRunConfig(); // 5 blocks per window, 2 pages per miner, 100 training pages
const facts = { genesisHash: `0x${'11'.repeat(32)}`, window: 40, windowBlockHash: `0x${'22'.repeat(32)}` } as const;
const hex = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));

describe('a window plan', () => {
  const plan = windowPlan(run, facts);

  it('places the window on the chain: first block, upload deadline, reveal block, election block', () => {
    expect(plan.startBlock).toBe(200);
    expect(plan.deadlineBlock).toBe(205);
    expect(plan.revealBlock).toBe(205 + run.window.revealBlocks);
    expect(plan.electionBlock).toBe(205);
  });

  it('derives its seed, pages and batch seeds exactly as the domain table documents', () => {
    const seed = toHex(deriveSeed(seedDomains.windowSeed, hex(facts.genesisHash), run.netuid, 40, hex(facts.windowBlockHash)));
    expect(plan.seed).toBe(seed);
    expect(plan.pagesOf('miner-a')).toEqual(drawPages(deriveSeed(seedDomains.assignPages, seed, 40, 'miner-a', 100), 2, 100));
    expect(plan.batchSeed('miner-a', 3)).toEqual(deriveSeed(seedDomains.trainingBatch, seed, 40, 'miner-a', 3));
  });

  it('gives every miner its own pages and every step its own batch', () => {
    expect(plan.pagesOf('miner-a')).not.toEqual(plan.pagesOf('miner-b'));
    expect(plan.pagesOf('miner-a').every((p) => p >= 0 && p < 100)).toBe(true);
    expect(plan.batchSeed('miner-a', 0)).not.toEqual(plan.batchSeed('miner-a', 1));
  });

  it('changes completely with the window\'s first block hash (unknowable before the window starts)', () => {
    const other = windowPlan(run, { ...facts, windowBlockHash: `0x${'23'.repeat(32)}` });
    expect(other.seed).not.toBe(plan.seed);
    expect(other.pagesOf('miner-a')).not.toEqual(plan.pagesOf('miner-a'));
  });
});
