import { describe, expect, it } from 'vitest';
import * as pkg from './index.js';
import * as devnet from './devnet.js';

// The client's names are snapshotted in client/index.test.ts, Yuma's beside them.
describe('public exports of @crucible/chain', () => {
  it('the main entry is the client and Yuma, without the devnet node', () => {
    expect(Object.keys(pkg)).not.toContain('startDevnet');
  });

  it('@crucible/chain/devnet: the node', () => {
    expect(Object.keys(devnet).sort()).toMatchInlineSnapshot(`
      [
        "DEV_ACCOUNTS",
        "DEV_ENDOWMENT",
        "NODE_NAME",
        "NODE_VERSION",
        "chainCli",
        "devGenesis",
        "genesisFromFile",
        "incentivePallets",
        "startDevnet",
        "withIncentivePallets",
      ]
    `);
  });
});
