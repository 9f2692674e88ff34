import { windowStartBlock } from '@crucible/core';
import type { RunConfig } from '../run/runConfig.js';
import { aggregatorElectionWindow } from './schedule.js';
import { assignPages, trainingBatchSeed, windowSeed, type WindowSeedInput } from './seeds.js';

/**
 * What every party computes alike about one window, from the run configuration and chain facts:
 *   seed           windowSeed(genesis hash, netuid, window, hash of the window's first block)
 *   startBlock     the window's first block
 *   deadlineBlock  the first block of window + 1: sealed uploads must be in before it
 *   revealBlock    revealBlocks later: seal keys revealed before it; its hash seeds evaluation
 *   electionBlock  the block whose state elects the aggregator of this window's checkpoint
 *   pagesOf(m)     the training pages miner m trains on
 *   batchSeed(m,i) the PRNG seed of m's inner step i
 */
export interface WindowPlan extends WindowBlocks {
  readonly window: number;
  readonly seed: `0x${string}`;
  pagesOf(hotkey: string): number[];
  batchSeed(hotkey: string, step: number): Uint8Array;
}

/** The blocks that bound a window (known before its first block exists). */
export interface WindowBlocks {
  readonly startBlock: number;
  /** The first block of the next window: a sealed update must be in storage before it. */
  readonly deadlineBlock: number;
  /** revealBlocks later: seal keys must be revealed before it; its hash seeds evaluation. */
  readonly revealBlock: number;
  readonly electionBlock: number;
}

export function windowBlocks(run: Pick<RunConfig, 'window'>, window: number): WindowBlocks {
  const bpw = run.window.blocksPerWindow;
  const deadlineBlock = windowStartBlock(window + 1, bpw);
  return {
    startBlock: windowStartBlock(window, bpw),
    deadlineBlock,
    revealBlock: deadlineBlock + run.window.revealBlocks,
    electionBlock: windowStartBlock(aggregatorElectionWindow(window), bpw),
  };
}

export function windowPlan(run: Pick<RunConfig, 'netuid' | 'window' | 'corpus'>, facts: Omit<WindowSeedInput, 'netuid'>): WindowPlan {
  const { window } = facts;
  const seed = windowSeed({ ...facts, netuid: run.netuid });
  return {
    window,
    seed,
    ...windowBlocks(run, window),
    pagesOf: (hotkey) => assignPages(seed, window, hotkey, run.window.pagesPerMiner, run.corpus.trainPages),
    batchSeed: (hotkey, step) => trainingBatchSeed(seed, window, hotkey, step),
  };
}
