import { describe, expect, it } from 'vitest';
import { testRunConfig } from '../run/testRun.js';
import { electAggregator, type ElectionState } from './election.js';
import type { Manifest } from './manifest.js';
import { checkpointSignerPolicy, withArchive, type SignerChain } from './signerPolicy.js';

const run = testRunConfig(); // 5 blocks per window

function manifest(window: number, genesis = false): Manifest {
  const h = `0x${'aa'.repeat(32)}`;
  return { netuid: 1, window, parentHash: genesis ? null : h, parentWindow: genesis ? null : window - 1, paramsHash: h, paramsKey: 'k', paramsBytes: 1, contributors: [], validationLoss: null, run, createdAt: '' };
}

/** A chain whose top-staked permitted validator is `alice` until block 20 and `bob` from then on. */
function chain(best: { block: number }): SignerChain & { reads: number[] } {
  const reads: number[] = [];
  return {
    reads,
    bestBlock: async () => best.block,
    subnetOwnerHotkey: async () => 'owner',
    electionState: async (_netuid, block): Promise<ElectionState> => {
      reads.push(block);
      return { hotkeys: ['owner', 'alice', 'bob', 'miner'], stake: [0n, block < 20 ? 30n : 10n, 20n, 99n], validatorPermit: [false, true, true, false] };
    },
  };
}

describe('who may sign a checkpoint', () => {
  it('elects the validator-permitted uid with the most stake, ties to the lowest uid, nobody without permits', () => {
    expect(electAggregator({ hotkeys: ['a', 'b', 'c'], stake: [5n, 9n, 9n], validatorPermit: [true, true, true] })?.hotkey).toBe('b');
    expect(electAggregator({ hotkeys: ['a', 'b'], stake: [5n, 9n], validatorPermit: [true, false] })?.hotkey).toBe('a');
    expect(electAggregator({ hotkeys: ['a'], stake: [5n], validatorPermit: [false] })).toBeNull();
  });

  it('genesis: the subnet owner; checkpoint w: the aggregator elected at the first block of w + 1', async () => {
    const c = chain({ block: 100 });
    const policy = checkpointSignerPolicy(c, 1);
    expect(await policy.authorizedSigner(manifest(0, true))).toBe('owner');
    expect(await policy.authorizedSigner(manifest(2))).toBe('alice'); // election block 15
    expect(await policy.authorizedSigner(manifest(3))).toBe('bob'); // election block 20
    expect(c.reads).toEqual([15, 20]);
  });

  it('answers nothing before the election block exists, and does not remember that answer', async () => {
    const best = { block: 12 };
    const c = chain(best);
    const policy = checkpointSignerPolicy(c, 1);
    expect(await policy.authorizedSigner(manifest(2))).toBeUndefined();
    best.block = 15;
    expect(await policy.authorizedSigner(manifest(2))).toBe('alice');
    await policy.authorizedSigner(manifest(2));
    expect(c.reads).toEqual([15]);
  });
});

describe('reading older elections from an archive node', () => {
  it('asks the archive only for what the primary (a lite node) no longer answers', async () => {
    const primary = chain({ block: 1000 });
    const archive = chain({ block: 1000 });
    const lite = { ...primary, electionState: async (netuid: number, block: number) => (block < 1000 - 256 ? Promise.reject(new Error('state discarded')) : primary.electionState(netuid, block)) };
    const policy = checkpointSignerPolicy(withArchive(lite, archive), 1);
    expect(await policy.signerFor(198, 5)).toBe('bob'); // election block 995: the lite node answers
    expect(await policy.signerFor(2, 5)).toBe('alice'); // election block 15: only the archive has it
    expect(primary.reads).toEqual([995]);
    expect(archive.reads).toEqual([15]);
  });
});

describe('the election leaves out the subnet owner', () => {
  it('elects the best-staked permitted validator other than the owner, even when the owner has more', () => {
    const state = { hotkeys: ['owner', 'v1', 'v2'], stake: [90n, 50n, 60n], validatorPermit: [true, true, true], ownerHotkey: 'owner' };
    expect(electAggregator(state)?.hotkey).toBe('v2');
    expect(electAggregator({ ...state, validatorPermit: [true, false, false] })).toBeNull();
  });
});
