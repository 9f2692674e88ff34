import { describe, expect, it } from 'vitest';
import { consensusStake, readElectionState, removeStake } from '@crucible/chain';
import { cryptoReady, loadColdkey } from '@crucible/core';
import { chainProblems } from '../support/checkpointChain.js';
import { localSubnetSuite } from '../support/localSubnetSuite.js';
import { dashboardState, waitFor } from '../support/waitFor.js';

const TAO = 1_000_000_000n;

/**
 * Stake shift: validator-0 (3000 TAO) aggregates while it is the top-staked validator. Its stake holder
 * withdraws all of that stake (remove_stake, as from an explorer); from the window after that, the
 * checkpoints are signed by validator-1, still linked to the ones before. (Under dynamic TAO a later
 * add_stake buys alpha at a higher price, so one to validator-1 does not overtake validator-0's.)
 */
describe('stake shift: a token holder moves aggregation to the other validator', () => {
  const suite = localSubnetSuite('stake-shift', { validators: 2, validatorStakes: [3000n * TAO, 1000n * TAO], miners: 2, blockTimeMs: 500, blocksPerWindow: 20 });

  it('checkpoints switch from validator-0 to validator-1 after validator-0\'s stake is withdrawn', async () => {
    const signedBy = (name: string) =>
      waitFor(`a checkpoint signed by ${name}`, async () => {
        const state = await dashboardState(suite.subnet);
        return state.checkpoints.find((c) => c.signerName === name) ? state : undefined;
      }, { timeoutMs: 8 * 60_000, intervalMs: 2000 });
    const before = await signedBy('validator-0');
    expect(before.aggregator?.hotkey).toBe(suite.subnet.validators[0]!.hotkeyAddress);

    await cryptoReady();
    const client = await suite.subnet.client();
    const v0 = suite.subnet.validators[0]!;
    const holder = await loadColdkey({ path: suite.subnet.walletPath, name: v0.name });
    const uid = (await readElectionState(client, suite.subnet.netuid)).hotkeys.indexOf(v0.hotkeyAddress);
    const alpha = (await consensusStake(client, suite.subnet.netuid)).alpha[uid]!;
    const receipt = await removeStake(client, holder, v0.hotkeyAddress, suite.subnet.netuid, alpha);
    const stakeWindow = Math.floor(receipt.blockNumber / suite.subnet.blocksPerWindow);

    const after = await waitFor('a checkpoint by validator-1 after the stake', async () => {
      const state = await dashboardState(suite.subnet);
      return state.checkpoints.some((c) => c.signerName === 'validator-1' && c.window >= stakeWindow) ? state : undefined;
    }, { timeoutMs: 8 * 60_000, intervalMs: 2000 });
    expect(after.aggregator?.hotkey).toBe(suite.subnet.validators[1]!.hotkeyAddress);
    // Checkpoints of windows closed after the stake (elected at their next window's first block) are validator-1's.
    for (const c of after.checkpoints.filter((c) => c.window > stakeWindow)) expect(c.signerName).toBe('validator-1');
    expect(chainProblems(after.checkpoints)).toEqual([]);
  }, 20 * 60_000);
});
