import { describe, expect, it } from 'vitest';
import { aggregatorElectionWindow, baseWindowLimit, pickBaseWindow } from './schedule.js';
import { evaluationSeed, windowSeed } from './seeds.js';

describe('the window pipeline', () => {
  it('trains window w from the newest checkpoint at or before w − 2', () => {
    expect(baseWindowLimit(10)).toBe(8);
    expect(pickBaseWindow([0, 5, 8, 9], 10)).toBe(8);
    expect(pickBaseWindow([0, 5, 9], 10)).toBe(5);
    expect(pickBaseWindow([3], 4)).toBeUndefined();
    expect(aggregatorElectionWindow(8)).toBe(9);
  });
});

describe('seeds', () => {
  const input = { genesisHash: `0x${'11'.repeat(32)}`, netuid: 2, window: 40, windowBlockHash: `0x${'22'.repeat(32)}` } as const;

  it('are a pure function of chain state and the window', () => {
    expect(windowSeed(input)).toBe(windowSeed({ ...input }));
    expect(windowSeed(input)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(windowSeed({ ...input, window: 41 })).not.toBe(windowSeed(input));
    expect(windowSeed({ ...input, netuid: 3 })).not.toBe(windowSeed(input));
    expect(windowSeed({ ...input, windowBlockHash: `0x${'23'.repeat(32)}` })).not.toBe(windowSeed(input));
  });

  it('give each validator its own evaluation seed, which does not exist before the reveal block', () => {
    const seed = windowSeed(input);
    const reveal = `0x${'33'.repeat(32)}` as const;
    expect(evaluationSeed(seed, reveal, 'validatorA')).not.toBe(evaluationSeed(seed, reveal, 'validatorB'));
    expect(evaluationSeed(seed, reveal, 'validatorA')).toBe(evaluationSeed(seed, reveal, 'validatorA'));
    // Everything known at window start (the window seed, the hotkey) fixes nothing without the reveal block's hash.
    expect(evaluationSeed(seed, `0x${'34'.repeat(32)}`, 'validatorA')).not.toBe(evaluationSeed(seed, reveal, 'validatorA'));
  });
});
