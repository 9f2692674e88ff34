import { describe, expect, it } from 'vitest';
import * as pkg from './index.js';
import * as client from './client/index.js';

// The node's part of the package surface (the client's is snapshotted in client/index.test.ts).
describe('public exports of @crucible/chain', () => {
  it('node', () => {
    expect(Object.keys(pkg).filter((k) => !(k in client)).sort()).toMatchInlineSnapshot(`
      [
        "ALPHA_PER_BLOCK",
        "DEFAULT_SUBNET_OWNER_CUT",
        "DEV_ACCOUNTS",
        "DEV_ENDOWMENT",
        "NODE_NAME",
        "NODE_VERSION",
        "U16_MAX",
        "blocksUntilNextEpoch",
        "chainCli",
        "defaultYumaParams",
        "devGenesis",
        "genesisFromFile",
        "incentivePallets",
        "isEpochBlock",
        "maxUpscaleToU16",
        "proportionToU16",
        "splitBlockEmission",
        "startDevnet",
        "topK",
        "weightedMedianColumns",
        "weightsToU16",
        "withIncentivePallets",
        "withinMaxWeightLimit",
        "yumaEpoch",
      ]
    `);
  });
});
