/** @crucible/chain/devnet — the subtensor-compatible devnet node, its genesis and its CLI. */
export { startDevnet, NODE_NAME, NODE_VERSION } from './node/devnet.js';
export type { Devnet, DevnetOptions } from './node/devnet.js';
export { DEV_ACCOUNTS, DEV_ENDOWMENT, devGenesis, genesisFromFile } from './node/genesis.js';
export { chainCli } from './cli.js';
export type { GenesisConfig } from './runtime/pallet.js';
export { incentivePallets, withIncentivePallets } from './pallets/subtensor/incentivePallets.js';
