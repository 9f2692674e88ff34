import { describe, expect, it } from 'vitest';
import * as client from './index.js';
import * as yuma from '../yuma/index.js';

// The public surface of the client and of Yuma: a change here is a change to what other packages use.
describe('public exports', () => {
  it('client', () => {
    expect(Object.keys(client).sort()).toMatchInlineSnapshot(`
      [
        "BUCKET_POINTER_VERSION",
        "MAX_COMMITMENT_BYTES",
        "addStake",
        "blockHashAt",
        "blockStream",
        "bootstrapSubnet",
        "bucketPointers",
        "burnedRegister",
        "checkpointSignerPolicy",
        "checkpointSources",
        "clientCommands",
        "connectChain",
        "currentBlock",
        "decodeBucketPointer",
        "dispatchErrorToCrucible",
        "encodeBucketPointer",
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
        "pickTopStakedValidator",
        "prepareWeights",
        "registerNetwork",
        "removeStake",
        "serveAxon",
        "setCommitment",
        "setWeights",
        "storeForPointer",
        "submitExtrinsic",
        "subnetOwnerHotkey",
        "sudoCall",
        "sudoSetHyperparameters",
        "topStakedValidator",
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
