import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { DispatchError, EventRecord } from '@polkadot/types/interfaces';
import { CrucibleError, type Keypair } from '@crucible/core';
import type { ChainClient } from './connect.js';

/** What an included extrinsic left behind. */
export interface TxReceipt {
  blockHash: `0x${string}`;
  blockNumber: number;
  txHash: `0x${string}`;
  /** Events of this extrinsic, as `Pallet.Event` names with their decoded data. */
  events: Array<{ name: string; data: unknown[] }>;
}

export interface SubmitOptions {
  /** Give up waiting for inclusion after this long (TIMEOUT). Default 60 s. */
  timeoutMs?: number;
}

/**
 * Maps a DispatchError to a CrucibleError. A module error becomes CHAIN_DISPATCH with
 * `details: { pallet, error }` using the metadata names (`SubtensorModule`, `SettingWeightsTooFast`);
 * other variants keep their variant name as `error` and no pallet.
 */
export function dispatchErrorToCrucible(api: ApiPromise, dispatchError: DispatchError): CrucibleError {
  if (dispatchError.isModule) {
    const module = dispatchError.asModule;
    const meta = api.registry.findMetaError(module);
    const pallet = api.registry.metadata.pallets.find((p) => p.index.eq(module.index))?.name.toString() ?? meta.section;
    return new CrucibleError('CHAIN_DISPATCH', `${pallet}.${meta.name}: ${meta.docs.join(' ').trim()}`, {
      details: { pallet, error: meta.name, index: module.index.toNumber() },
    });
  }
  return new CrucibleError('CHAIN_DISPATCH', `dispatch failed: ${dispatchError.type}`, {
    details: { error: dispatchError.type, raw: dispatchError.toJSON() },
  });
}

/** True when `error` is the chain rejecting a call with `pallet.name` (e.g. SubtensorModule, NeuronNoValidatorPermit). */
export function isDispatchError(error: unknown, pallet: string, name?: string): boolean {
  return (
    error instanceof CrucibleError &&
    error.code === 'CHAIN_DISPATCH' &&
    error.details.pallet === pallet &&
    (name === undefined || error.details.error === name)
  );
}

/** A failed dispatch inside Sudo.sudo / Utility still lands in a success extrinsic; find it. */
function innerDispatchError(records: readonly EventRecord[]): DispatchError | undefined {
  for (const { event } of records) {
    if (event.section === 'sudo' && (event.method === 'Sudid' || event.method === 'SudoAsDone')) {
      const result = event.data[0] as unknown as { isErr: boolean; asErr: DispatchError };
      if (result.isErr) return result.asErr;
    }
    if (event.section === 'utility' && event.method === 'BatchInterrupted') {
      return event.data[1] as unknown as DispatchError;
    }
  }
  return undefined;
}

/**
 * Extrinsics of one signer go out one at a time: the nonce comes from the runtime (`{ nonce: -1 }`), which
 * does not count transactions still in the pool, so two concurrent submissions would reuse a nonce.
 */
const signerQueues = new WeakMap<ChainClient, Map<string, Promise<unknown>>>();

function enqueue<T>(client: ChainClient, signer: string, task: () => Promise<T>): Promise<T> {
  let queues = signerQueues.get(client);
  if (queues === undefined) signerQueues.set(client, (queues = new Map()));
  const previous = queues.get(signer) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(signer, tail);
  void tail.then(() => {
    if (queues.get(signer) === tail) queues.delete(signer);
  });
  return run;
}

/**
 * Signs with `signer`, submits and waits until the extrinsic is in a block. Failures: CHAIN_DISPATCH for
 * a dispatch error (also inside sudo), CHAIN_INVALID_TRANSACTION when the pool rejects it, TIMEOUT.
 * Concurrent calls with the same signer are sent in order, each after the previous one is in a block.
 */
export function submitExtrinsic(
  client: ChainClient,
  signer: Keypair,
  tx: SubmittableExtrinsic<'promise'>,
  options: SubmitOptions = {},
): Promise<TxReceipt> {
  return enqueue(client, signer.address, () => submitNow(client, signer, tx, options));
}

async function submitNow(client: ChainClient, signer: Keypair, tx: SubmittableExtrinsic<'promise'>, options: SubmitOptions): Promise<TxReceipt> {
  const { api } = client;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise<TxReceipt>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let settled = false;
    const finish = (error: unknown, receipt?: TxReceipt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe?.();
      if (receipt !== undefined) resolve(receipt);
      else reject(error);
    };
    const timer = setTimeout(
      () => finish(new CrucibleError('TIMEOUT', 'the extrinsic was not included in time', { details: { timeoutMs, call: tx.method.toHuman() } })),
      timeoutMs,
    );
    tx.signAndSend(signer.pair, { nonce: -1 }, (result) => {
      const { status } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(new CrucibleError('CHAIN_INVALID_TRANSACTION', `the transaction pool rejected the extrinsic: ${status.type}`, { details: { status: status.type } }));
        return;
      }
      if (!status.isInBlock && !status.isFinalized) return;
      const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
      const dispatchError = result.dispatchError ?? innerDispatchError(result.events);
      if (dispatchError !== undefined) {
        finish(dispatchErrorToCrucible(api, dispatchError));
        return;
      }
      const events = result.events.map(({ event }) => ({
        name: `${event.section}.${event.method}`,
        data: event.data.map((d) => d.toJSON()),
      }));
      const receipt = (blockNumber: number) => ({ blockHash, blockNumber, txHash: result.txHash.toHex(), events });
      const included = (result as { blockNumber?: { toNumber(): number } }).blockNumber;
      if (included !== undefined) {
        finish(undefined, receipt(included.toNumber()));
        return;
      }
      api.rpc.chain
        .getHeader(blockHash)
        .then((header) => finish(undefined, receipt(header.number.toNumber())))
        .catch((cause: unknown) => finish(new CrucibleError('CHAIN_RPC', 'could not read the inclusion block', { cause })));
    })
      .then((unsub) => {
        if (settled) unsub();
        else unsubscribe = unsub;
      })
      .catch((cause: unknown) => {
        const message = cause instanceof Error ? cause.message : String(cause);
        const code = /^1010|Invalid Transaction/i.test(message) ? 'CHAIN_INVALID_TRANSACTION' : 'CHAIN_RPC';
        // SubtensorTransactionExtension refusals carry a number (`Custom error: 17`): keep it for callers.
        const custom = /Custom error: (\d+)/.exec(message);
        const details = custom === null ? {} : { customError: Number(custom[1]) };
        finish(new CrucibleError(code, `submitting the extrinsic failed: ${message}`, { cause, details }));
      });
  });
}
