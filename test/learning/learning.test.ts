import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getMetagraph } from '@crucible/chain';
import type { DashboardCheckpoint } from '@crucible/deploy';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { localSubnetSuite } from '../support/localSubnetSuite.js';
import { dashboardState, waitFor } from '../support/waitFor.js';

/**
 * Learning: one validator and three honest miners train the tiny model on loopback, on a dataset the
 * subnet owner prepared from the shipped corpus and published in its bucket (as `crucible-local up`
 * does): genesis pins it, miners fetch only their assigned pages, the validator only the pages it
 * evaluates on and the held-out pages of the validation loss. The published checkpoints' validation
 * loss must fall by at least LOSS_DROP (relative) from the first checkpoint that carries a loss to the
 * last one within CHECKPOINTS windows; the validator sets weights; Yuma pays the miners emission.
 */
const LOSS_DROP = 0.15;
const CHECKPOINTS = 6;
const RUN_TIMEOUT_MS = 20 * 60_000;

describe('learning: 1 validator, 3 honest miners', () => {
  const suite = localSubnetSuite('learning', { validators: 1, miners: 3, blockTimeMs: 500, blocksPerWindow: 20, tempo: 20, dataset: true });

  it('trains on a published dataset that genesis pins', () => {
    const dataset = suite.subnet.dataset;
    expect(dataset).toMatchObject({ text: 'sotu', name: 'local-bytes', manifestHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    const printed = readFileSync(join(suite.subnet.dir, 'logs', 'genesis.log'), 'utf8').split('\n').find((l) => l.startsWith('{"window"'));
    expect(JSON.parse(printed!).dataset).toMatchObject({ name: 'local-bytes', manifestHash: dataset!.manifestHash });
  });

  it(`publishes checkpoints whose validation loss falls by ≥ ${LOSS_DROP * 100}%, sets weights, and pays miners`, async () => {
    const withLoss = (cps: DashboardCheckpoint[]) => cps.filter((c) => c.validationLoss !== null);
    const checkpoints = await waitFor(
      `${CHECKPOINTS} checkpoints with a validation loss`,
      async () => {
        const cps = withLoss((await dashboardState(suite.subnet)).checkpoints);
        return cps.length >= CHECKPOINTS ? cps : undefined;
      },
      { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 2000 },
    );
    // One linked chain: every checkpoint's parent is the one before it (genesis first).
    const state = await dashboardState(suite.subnet);
    const windows = state.checkpoints.map((c) => c.window);
    for (const [i, c] of state.checkpoints.entries()) if (i > 0) expect(c.parentWindow).toBe(windows[i - 1]);
    const first = checkpoints[0]!.validationLoss!;
    const last = checkpoints.at(-1)!.validationLoss!;
    console.log('validation loss by window', checkpoints.map((c) => `${c.window}:${c.validationLoss!.toFixed(4)}`).join(' '));
    expect(last).toBeLessThanOrEqual(first * (1 - LOSS_DROP));

    // Every neuron read pages into its own bounded cache under its state folder, never the whole dataset.
    const cached = (name: string) => {
      const root = join(suite.subnet.dir, 'state', name, 'datasets');
      if (!existsSync(root)) return 0;
      let pages = 0;
      for (const slot of readdirSync(root)) for (const hash of readdirSync(join(root, slot)).filter((f) => /^[0-9a-f]{64}$/.test(f))) pages += readdirSync(join(root, slot, hash)).filter((f) => f.startsWith('p')).length;
      return pages;
    };
    const perNeuron = Object.fromEntries([...suite.subnet.miners, ...suite.subnet.validators].map((w) => [w.name, cached(w.name)]));
    console.log('dataset pages cached per neuron', perNeuron);
    for (const m of suite.subnet.miners) expect(perNeuron[m.name]).toBeGreaterThan(0);
    expect(perNeuron[suite.subnet.validators[0]!.name]).toBeGreaterThan(0);

    const client = await suite.subnet.client();
    const hotkeys = (await getMetagraph(client, suite.subnet.netuid)).hotkeys;
    const validatorUid = hotkeys.indexOf(suite.subnet.validators[0]!.hotkeyAddress);
    const minerUids = suite.subnet.miners.map((m) => hotkeys.indexOf(m.hotkeyAddress));
    const paid = await waitFor(
      'weights on chain and emission to the miners',
      async () => {
        const m = await getMetagraph(client, suite.subnet.netuid);
        const row = m.weights[validatorUid] ?? [];
        const weighted = minerUids.filter((uid) => row.some(([dest, w]) => dest === uid && w > 0));
        const earning = minerUids.filter((uid) => (m.emission[uid] ?? 0n) > 0n);
        return weighted.length > 0 && earning.length > 0 ? { weighted, earning, incentive: minerUids.map((uid) => m.incentive[uid]) } : undefined;
      },
      { timeoutMs: 5 * 60_000, intervalMs: 2000 },
    );
    console.log('miners weighted', paid.weighted, 'earning', paid.earning, 'incentive', paid.incentive);
    expect(paid.earning.length).toBeGreaterThan(0);

    // The dashboard shows the falling loss: a screenshot of the page with its plot, for people.
    if (hasChromium()) {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
        await page.goto(suite.subnet.endpoints.dashboard!);
        await page.waitForSelector('#loss-plot svg circle.loss-point');
        expect(await page.locator('#loss-plot svg circle.loss-point').count()).toBeGreaterThanOrEqual(CHECKPOINTS);
        mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
        await page.screenshot({ path: join(process.cwd(), 'test-results', 'dashboard-learning.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    }
  }, RUN_TIMEOUT_MS + 6 * 60_000);
});
