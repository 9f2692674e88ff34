/**
 * `state_call` and the runtime version as the RPC layer serves them. The runtime APIs themselves are in
 * src/runtimeApis; a failing or unknown one is answered with Substrate's error 4003.
 */
import type { StateReader } from '../runtime/overlay.js';
import type { Runtime } from '../runtime/runtime.js';
import { RUNTIME_VERSION } from '../runtime/runtimeVersion.js';
import { RuntimeApiError } from '../runtimeApis/apiTypes.js';
import { callRuntimeApi } from '../runtimeApis/index.js';
import { queryFee } from '../runtimeApis/transactionPaymentApi.js';
import { RpcError } from './jsonRpc.js';

/** Substrate's error for a runtime call that fails or does not exist. */
export function callError(detail: string): RpcError {
  return new RpcError(4003, 'Client error: Execution failed: ' + detail);
}

export function runtimeVersionJson(): Record<string, unknown> {
  return {
    specName: RUNTIME_VERSION.specName,
    implName: RUNTIME_VERSION.implName,
    authoringVersion: RUNTIME_VERSION.authoringVersion,
    specVersion: RUNTIME_VERSION.specVersion,
    implVersion: RUNTIME_VERSION.implVersion,
    apis: RUNTIME_VERSION.apis.map(([id, v]) => [id, v]),
    transactionVersion: RUNTIME_VERSION.transactionVersion,
    // A node built on sp-version ≥ 37 (as subtensor's is) names stateVersion systemVersion.
    systemVersion: RUNTIME_VERSION.systemVersion,
  };
}

/** Dispatches a `state_call`; returns the SCALE-encoded answer. */
export function runtimeCall(runtime: Runtime, state: StateReader, method: string, data: Uint8Array): Uint8Array {
  try {
    return callRuntimeApi(runtime, state, method, data);
  } catch (e) {
    if (e instanceof RuntimeApiError) throw callError(e.message);
    throw e;
  }
}

/** The fee estimate behind `payment_queryInfo` / `payment_queryFeeDetails`, with RPC errors. */
export function paymentFee(runtime: Runtime, bytes: Uint8Array): ReturnType<typeof queryFee> {
  try {
    return queryFee(runtime, bytes, bytes.length);
  } catch (e) {
    if (e instanceof RuntimeApiError) throw callError(e.message);
    throw e;
  }
}
