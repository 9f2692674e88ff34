import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { DashboardState } from '@crucible/deploy';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { localSubnetSuite } from '../support/localSubnetSuite.js';

const screenshots = join(process.cwd(), 'test-results');

describe.skipIf(!hasChromium())('dashboard in headless Chromium', () => {
  // The page's live parts need only the chain: no genesis or neurons, so this suite stands alone.
  const suite = localSubnetSuite('dashboard', { blockTimeMs: 500, genesis: false, startNeurons: false });
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 5 * 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('serves /api/state with the chain head, window and metagraph', async () => {
    const state = (await (await fetch(`${suite.subnet.endpoints.dashboard}/api/state`)).json()) as DashboardState;
    expect(state.netuid).toBe(suite.subnet.netuid);
    expect(state.window).toBe(Math.floor(state.block / suite.subnet.blocksPerWindow));
    const names = state.neurons.map((n) => n.name);
    expect(names).toEqual(['owner', 'validator-0', 'validator-1', 'miner-0', 'miner-1', 'miner-2']);
    const v0 = state.neurons.find((n) => n.name === 'validator-0')!;
    const v1 = state.neurons.find((n) => n.name === 'validator-1')!;
    expect(v0.stake).toBeGreaterThan(v1.stake);
    expect(state.checkpoints).toEqual([]);
  });

  it('loads the page, shows block numbers that advance as blocks arrive, and stakes from a dev account', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(suite.subnet.endpoints.dashboard!);
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('block')?.textContent ?? ''));
    const first = Number(await page.textContent('#block'));
    await page.waitForFunction((b) => Number(document.getElementById('block')?.textContent) >= b + 3, first, { timeout: 30_000 });
    const later = Number(await page.textContent('#block'));
    expect(later).toBeGreaterThanOrEqual(first + 3);
    expect(await page.locator('#neurons tbody tr').count()).toBe(6);
    expect(await page.textContent('#subnet')).toBe(`subnet ${suite.subnet.netuid}`);

    // Bob stakes 5000 TAO to validator-1 through the form: the alpha it bought shows in its row. (Under
    // dynamic TAO the price has risen since the validators staked, so it buys less alpha than they hold.)
    const v1 = suite.subnet.validators[1]!.hotkeyAddress;
    const stakeOf = (name: string) =>
      page.evaluate((n) => {
        const rows = [...document.querySelectorAll('#neurons tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent ?? ''));
        return Number(rows.find((r) => r[1] === n)?.[3]);
      }, name);
    const before = await stakeOf('validator-1');
    await page.selectOption('select[name=account]', 'Bob');
    await page.selectOption('#stake-hotkey', v1);
    await page.fill('input[name=amountTao]', '5000');
    await page.click('#stake-form button');
    await page.waitForFunction(() => /included in block \d+/.test(document.getElementById('stake-result')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.waitForFunction(
      (b) => {
        const rows = [...document.querySelectorAll('#neurons tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent ?? ''));
        return Number(rows.find((r) => r[1] === 'validator-1')?.[3]) > b;
      },
      before,
      { timeout: 30_000 },
    );
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'dashboard.png'), fullPage: true });
    await page.close();
  });
});
