/**
 * Test helpers: a devnet on a free port with a short block time, and an ApiPromise connected to it.
 * Not exported from the package; tests import it directly.
 */
import '@polkadot/api-augment';
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SignerOptions, SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import { createLogger } from '@crucible/core';
import { startDevnet, type Devnet, type DevnetOptions } from '../node/devnet.js';

export interface TestDevnet {
  readonly node: Devnet;
  readonly api: ApiPromise;
  close(): Promise<void>;
}

export async function startTestDevnet(options: DevnetOptions = {}): Promise<TestDevnet> {
  const node = await startDevnet({
    port: 0,
    blockTimeMs: 250,
    tmp: options.basePath === undefined,
    logger: createLogger({ name: 'chain-test', level: 'warn', format: 'json', write: () => {} }),
    ...options,
  });
  const api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true, throwOnConnect: true });
  return {
    node,
    api,
    close: async () => {
      await api.disconnect();
      await node.close();
    },
  };
}

export interface InBlockResult {
  readonly blockHash: string;
  /** `section.method` of each event of the extrinsic, in order. */
  readonly events: string[];
  readonly raw: ISubmittableResult;
}

/** signAndSend, resolved when the extrinsic is in a block; rejects with the RPC error if it is refused. */
export function sendInBlock(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, options: Partial<SignerOptions> = {}): Promise<InBlockResult> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, options, (r) => {
      if (r.status.isInBlock) {
        unsub?.();
        resolve({ blockHash: r.status.asInBlock.toHex(), events: r.events.map((e) => `${e.event.section}.${e.event.method}`), raw: r });
      } else if (r.isError) {
        unsub?.();
        reject(new Error(`extrinsic ${r.status.type}`));
      }
    })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}

/**
 * `api.tx` for the subtensor pallets: @polkadot/api-augment types Substrate's own pallets only, so
 * tests reach SubtensorModule, AdminUtils and Commitments through this (untyped) view.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const txs = (api: ApiPromise): any => api.tx;

/** `api.query` for the subtensor pallets, untyped for the same reason as `txs`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const queries = (api: ApiPromise): any => api.query;
