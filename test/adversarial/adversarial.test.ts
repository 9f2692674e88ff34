import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getMetagraph } from '@crucible/chain';
import type { MinerSpec } from '@crucible/deploy';
import { localSubnetSuite } from '../support/localSubnetSuite.js';
import { dashboardState, waitFor } from '../support/waitFor.js';

/**
 * Adversarial: three honest miners beside cheaters that upload noise, a copy of an honest update, a
 * ×50 scaled copy, a replay of an earlier window's update, a copy uploaded after the deadline, and a
 * real update trained on another hotkey's pages (see cheatingMiner.ts). Once every cheater has been
 * rejected in several windows and an epoch has passed, the honest miners hold at least 90% of the
 * miners' incentive and no cheater more than 2%.
 */
const cheater = fileURLToPath(new URL('./cheatingMiner.ts', import.meta.url));
const CHEATS = ['noise', 'copycat', 'scaled', 'replay', 'late', 'other-pages'] as const;
const REJECTIONS = 3;
const TEMPO = 20;
const cheat = (mode: string): MinerSpec => ({ command: [process.execPath, '--import', 'tsx', cheater, '--cheat', mode] });

describe('adversarial: honest miners beside cheaters', () => {
  const suite = localSubnetSuite('adversarial', { validators: 1, miners: [{}, {}, {}, ...CHEATS.map(cheat)], blockTimeMs: 500, blocksPerWindow: 20, tempo: TEMPO });

  it('pays honest miners ≥ 90% of miner incentive and no cheater above 2%', async () => {
    const client = await suite.subnet.client();
    const honest = suite.subnet.miners.slice(0, 3).map((m) => m.hotkeyAddress);
    const cheaters = suite.subnet.miners.slice(3).map((m, i) => ({ mode: CHEATS[i]!, hotkey: m.hotkeyAddress }));
    // Every cheater is judged in at least REJECTIONS windows, then one more epoch settles incentive.
    const rejections = await waitFor('every cheater rejected repeatedly', async () => {
      const state = await dashboardState(suite.subnet);
      // The other-pages miner uploads a real update, which may be scored (low) rather than rejected.
      // 'missing' and 'unavailable' (before its bucket is committed) say nothing about the cheat itself,
      // except for the late miner: an upload after the deadline that the validator never saw in time is
      // judged missing, and that is the outcome its lateness earns (it is never evaluated or paid).
      const counted = (mode: string, verdict: string) =>
        verdict !== 'unavailable' && (verdict !== 'missing' || mode === 'late') && (mode === 'other-pages' || verdict !== 'scored');
      const count = (mode: string, h: string) => state.validators.flatMap((v) => v.windows.flatMap((w) => w.miners.filter((m) => m.hotkey === h && counted(mode, m.verdict)))).length;
      const counts = Object.fromEntries(cheaters.map((c) => [c.mode, count(c.mode, c.hotkey)]));
      return Object.values(counts).every((n) => n >= REJECTIONS) ? { counts, block: state.block } : undefined;
    }, { timeoutMs: 15 * 60_000, intervalMs: 3000 });
    console.log('rejected windows per cheater', rejections.counts);
    await waitFor('the next epoch', async () => ((await dashboardState(suite.subnet)).block > rejections.block + TEMPO + 1 ? true : undefined), { timeoutMs: 5 * 60_000, intervalMs: 2000 });
    const shares = await waitFor('honest miners to hold ≥ 90% of incentive', async () => {
      const m = await getMetagraph(client, suite.subnet.netuid);
      const inc = (h: string) => m.incentive[m.hotkeys.indexOf(h)] ?? 0;
      const total = [...honest, ...cheaters.map((c) => c.hotkey)].reduce((s, h) => s + inc(h), 0);
      if (total <= 0) return undefined;
      const honestShare = honest.reduce((s, h) => s + inc(h), 0) / total;
      const cheaterShares = Object.fromEntries(cheaters.map((c) => [c.mode, inc(c.hotkey) / total]));
      return honestShare >= 0.9 && Object.values(cheaterShares).every((x) => x <= 0.02) ? { honestShare, cheaterShares } : undefined;
    }, { timeoutMs: 10 * 60_000, intervalMs: 3000 });
    console.log('incentive shares', shares);
    expect(shares.honestShare).toBeGreaterThanOrEqual(0.9);
    for (const share of Object.values(shares.cheaterShares)) expect(share).toBeLessThanOrEqual(0.02);
  }, 30 * 60_000);
});
