import { describe, expect, it } from 'vitest';
import * as pkg from './index.js';
import * as client from './client/index.js';

// The node's part of the package surface (the client's is snapshotted in client/index.test.ts).
describe('public exports of @crucible/chain', () => {
  it('node', () => {
    expect(Object.keys(pkg).filter((k) => !(k in client)).sort()).toMatchInlineSnapshot(`
      [
        "DEV_ACCOUNTS",
        "DEV_ENDOWMENT",
        "NODE_NAME",
        "NODE_VERSION",
        "U16_MAX",
        "chainCli",
        "defaultYumaParams",
        "devGenesis",
        "genesisFromFile",
        "incentivePallets",
        "maxUpscaleToU16",
        "proportionToU16",
        "startDevnet",
        "topK",
        "topKNonzero",
        "weightedMedianColumns",
        "weightsToU16",
        "withIncentivePallets",
        "withinMaxWeightLimit",
        "yumaEpoch",
      ]
    `);
  });
});
