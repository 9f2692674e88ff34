/**
 * @crucible/chain — a typed client of the subtensor API (this entry) and the local devnet node
 * (`@crucible/chain/devnet`, which miners and validators never load). Depends on @crucible/core only.
 */
export * from './client/index.js';
export * from './yuma/index.js';
