import { expect, it } from 'vitest';
import * as miner from './index.js';

it('exports exactly the public API', () => {
  expect(Object.keys(miner).sort()).toEqual(['minerConfigSchema', 'minerStateSchema', 'startMiner']);
});
