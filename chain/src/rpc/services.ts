import type { Chain } from '../node/chain.js';
import type { TxPool, TxWatcher } from '../node/txPool.js';
import type { Runtime } from '../runtime/runtime.js';

/** What the RPC methods need from the node. */
export interface NodeServices {
  readonly runtime: Runtime;
  readonly chain: Chain;
  readonly pool: TxPool;
  readonly info: {
    readonly name: string;
    readonly version: string;
    readonly chain: string;
    readonly chainType: string;
    readonly properties: Record<string, unknown>;
  };
  /** Keys changed by the latest block (for storage subscriptions). */
  lastChangedKeys(): ReadonlySet<string>;
  /** Submits an extrinsic to the pool (logs, metrics); throws TransactionValidityError. */
  submit(bytes: Uint8Array, watcher?: TxWatcher): { hash: string; status: 'ready' | 'future' };
}
