import { describe, expect, it } from 'vitest';
import { parseStakeRequest } from './startDashboard.js';

const hotkey = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

describe('the dashboard staking form', () => {
  it('accepts a dev account, an ss58 hotkey and a TAO amount, converted to rao', () => {
    expect(parseStakeRequest(JSON.stringify({ account: 'Bob', hotkey, amountTao: 12.5 }))).toEqual({ account: 'Bob', hotkey, amountRao: 12_500_000_000n });
  });

  it.each([
    ['not json', 'not json'],
    ['an account that is not a dev account', JSON.stringify({ account: '//Mallory', hotkey, amountTao: 1 })],
    ['a missing hotkey', JSON.stringify({ account: 'Bob', amountTao: 1 })],
    ['a zero amount', JSON.stringify({ account: 'Bob', hotkey, amountTao: 0 })],
    ['a string amount', JSON.stringify({ account: 'Bob', hotkey, amountTao: '5' })],
  ])('refuses %s with USAGE', (_, body) => {
    expect(() => parseStakeRequest(body)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
