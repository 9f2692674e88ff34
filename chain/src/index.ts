/** @crucible/chain: the devnet node (this issue) and, from src/client, the typed chain client. */
export { startDevnet, NODE_NAME, NODE_VERSION } from './node/devnet.js';
export type { Devnet, DevnetOptions } from './node/devnet.js';
export { DEV_ACCOUNTS, DEV_ENDOWMENT, devGenesis, genesisFromFile } from './node/genesis.js';
export { chainCli } from './cli.js';
export type { GenesisConfig } from './runtime/pallet.js';
export * from './client/index.js';
export * from './yuma/index.js';
export { incentivePallets, withIncentivePallets } from './pallets/subtensor/incentivePallets.js';
