/**
 * The runtime APIs the devnet answers through `state_call`. Each API is a module of method handlers;
 * arguments arrive decoded with the reference metadata's input types and a handler returns a JS value
 * that is encoded with the method's output type (so every answer has the reference's exact SCALE
 * layout), or `RawScale` bytes where the value is already encoded (metadata blobs).
 */
import type { Codec } from '@polkadot/types/types';
import type { StateReader } from '../runtime/overlay.js';
import type { Runtime } from '../runtime/runtime.js';
import type { StorageAccess } from '../runtime/storageAccess.js';

export interface ApiContext {
  readonly runtime: Runtime;
  /** The state the call runs against (read-only: writes are discarded). */
  readonly storage: StorageAccess;
  readonly state: StateReader;
  /** `System.Number` of that state. */
  readonly blockNumber: number;
}

export type ApiHandler = (ctx: ApiContext, args: readonly Codec[]) => unknown;

export interface ApiModule {
  /** The runtime API's name as in the metadata (`NeuronInfoRuntimeApi`). */
  readonly name: string;
  /** Handlers by method name (`get_neurons_lite`). */
  readonly methods: Readonly<Record<string, ApiHandler>>;
}

/** An answer that is already SCALE-encoded. */
export class EncodedAnswer {
  constructor(readonly bytes: Uint8Array) {}
}

/** A runtime call that traps or does not exist; the RPC layer answers Substrate's 4003 with it. */
export class RuntimeApiError extends Error {
  override readonly name = 'RuntimeApiError';
}
