/**
 * The runtime APIs the devnet serves, and `callRuntimeApi`, which answers a `state_call`: decode the
 * arguments with the reference's input types, run the handler on a read-only view of the state, and
 * encode the answer with the reference's output type.
 */
import type { Codec } from '@polkadot/types/types';
import type { ServedApis } from '../metadata/buildMetadata.js';
import { Overlay, type StateReader } from '../runtime/overlay.js';
import type { Runtime } from '../runtime/runtime.js';
import * as System from '../pallets/system/systemStorage.js';
import { EncodedAnswer, RuntimeApiError, type ApiHandler, type ApiModule } from './apiTypes.js';
import { accountNonceApi, coreApi, metadataApi } from './coreApis.js';
import { neuronInfoApi } from './neuronInfoApi.js';
import { delegateInfoApi, stakeInfoApi } from './stakeInfoApi.js';
import { subnetInfoApi } from './subnetInfoApi.js';
import { subnetRegistrationApi, swapApi } from './swapApis.js';
import { transactionPaymentApi, transactionPaymentCallApi } from './transactionPaymentApi.js';

export const runtimeApiModules: readonly ApiModule[] = [
  coreApi,
  metadataApi,
  accountNonceApi,
  transactionPaymentApi,
  transactionPaymentCallApi,
  delegateInfoApi,
  neuronInfoApi,
  subnetInfoApi,
  stakeInfoApi,
  subnetRegistrationApi,
  swapApi,
];

/** Names of the served APIs and methods, for the metadata. */
export function servedApis(modules: readonly ApiModule[] = runtimeApiModules): ServedApis {
  return new Map(modules.map((m) => [m.name, Object.keys(m.methods)]));
}

const handlers = new Map<string, ApiHandler>(runtimeApiModules.flatMap((m) => Object.entries(m.methods).map(([method, h]) => [`${m.name}_${method}`, h] as [string, ApiHandler])));

/** Answers `state_call(method, data)` against `state`; throws RuntimeApiError. */
export function callRuntimeApi(runtime: Runtime, state: StateReader, method: string, data: Uint8Array): Uint8Array {
  const handler = handlers.get(method);
  const types = runtime.built.apiMethods.get(method);
  if (handler === undefined || types === undefined) throw new RuntimeApiError(`Other: Exported method ${method} is not found`);
  const args: Codec[] = [];
  let offset = 0;
  for (const type of types.inputs) {
    let arg: Codec;
    try {
      arg = runtime.registry.createType(type, data.subarray(offset));
    } catch (e) {
      throw new RuntimeApiError(`Could not decode the arguments of ${method}: ${(e as Error).message}`);
    }
    offset += arg.encodedLength;
    args.push(arg);
  }
  if (offset !== data.length) throw new RuntimeApiError(`${method}: ${data.length - offset} bytes left after the arguments`);
  const storage = runtime.storage(new Overlay(state));
  const blockNumber = Number(storage.get(System.Number).toString());
  const answer = handler({ runtime, storage, state, blockNumber }, args);
  if (answer instanceof EncodedAnswer) return answer.bytes;
  return runtime.registry.createType(types.output, answer).toU8a();
}
