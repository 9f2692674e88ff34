import { describe, expect, it } from 'vitest';
import * as client from './index.js';
import * as yuma from '../yuma/index.js';

// The public surface of the client and of Yuma: a change here is a change to what other packages use.
describe('public exports', () => {
  it('client', () => {
    expect(Object.keys(client).sort()).toMatchInlineSnapshot(`
      [
        "MAX_COMMITMENT_BYTES",
        "addStake",
        "blockHashAt",
        "blockStream",
        "bootstrapSubnet",
        "burnedRegister",
        "chainReader",
        "clientCommands",
        "connectChain",
        "currentBlock",
        "dispatchErrorToCrucible",
        "ensureCommitment",
        "formatMetagraph",
        "formatTao",
        "genesisHash",
        "getBalance",
        "getCommitment",
        "getHyperparameters",
        "getMetagraph",
        "hyperparameterCalls",
        "isDispatchError",
        "localSubnetDefaults",
        "parseTao",
        "prepareWeights",
        "readElectionState",
        "readNeuronRows",
        "registerNetwork",
        "removeStake",
        "serveAxon",
        "setCommitment",
        "setWeights",
        "submitExtrinsic",
        "subnetOwnerHotkey",
        "sudoCall",
        "sudoSetHyperparameters",
        "timestampAt",
        "transfer",
        "watchBlocks",
      ]
    `);
  });
  it('yuma', () => {
    expect(Object.keys(yuma).sort()).toMatchInlineSnapshot(`
      [
        "ALPHA_PER_BLOCK",
        "DEFAULT_SUBNET_OWNER_CUT",
        "U16_MAX",
        "blocksUntilNextEpoch",
        "defaultYumaParams",
        "isEpochBlock",
        "maxUpscaleToU16",
        "proportionToU16",
        "splitBlockEmission",
        "topK",
        "weightedMedianColumns",
        "weightsToU16",
        "withinMaxWeightLimit",
        "yumaEpoch",
      ]
    `);
  });
});
