/**
 * The runtime APIs clients reach through `state_call`, with the reference runtime's SCALE encodings:
 * Core_version, Metadata_metadata(_at_version/_versions), AccountNonceApi_account_nonce,
 * TransactionPaymentApi_query_info / query_fee_details.
 */
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { decodeAccountInfo } from '../pallets/system/accountInfo.js';
import { Account } from '../pallets/system/systemStorage.js';
import { computeFee, weightToFee } from '../pallets/transactionPayment/transactionPaymentPallet.js';
import { parseExtrinsic } from '../runtime/extrinsic.js';
import type { StateReader } from '../runtime/overlay.js';
import type { Runtime } from '../runtime/runtime.js';
import { EXTRINSIC_BASE_WEIGHT, RUNTIME_VERSION } from '../runtime/runtimeVersion.js';
import { isValidityError } from '../runtime/validity.js';
import { RpcError } from './jsonRpc.js';

/** Substrate's error for a runtime call that fails or does not exist. */
export function callError(detail: string): RpcError {
  return new RpcError(4003, 'Client error: Execution failed: ' + detail);
}

export function encodeRuntimeVersion(): Uint8Array {
  const text = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    return u8aConcat(compactToU8a(b.length), b);
  };
  return u8aConcat(
    text(RUNTIME_VERSION.specName),
    text(RUNTIME_VERSION.implName),
    u32(RUNTIME_VERSION.authoringVersion),
    u32(RUNTIME_VERSION.specVersion),
    u32(RUNTIME_VERSION.implVersion),
    compactToU8a(RUNTIME_VERSION.apis.length),
    ...RUNTIME_VERSION.apis.map(([id, v]) => u8aConcat(Buffer.from(id.slice(2), 'hex'), u32(v))),
    u32(RUNTIME_VERSION.transactionVersion),
    Uint8Array.of(RUNTIME_VERSION.stateVersion),
  );
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
    stateVersion: RUNTIME_VERSION.stateVersion,
  };
}

export interface FeeInfo {
  readonly weight: { refTime: bigint; proofSize: bigint };
  readonly class: 'Normal' | 'Operational' | 'Mandatory';
  readonly partialFee: bigint;
  readonly baseFee: bigint;
  readonly lenFee: bigint;
  readonly adjustedWeightFee: bigint;
}

/** Fee estimate of an encoded extrinsic; the signature is not checked (as in the real runtime API). */
export function queryFee(runtime: Runtime, bytes: Uint8Array, len: number): FeeInfo {
  let parsed;
  try {
    parsed = parseExtrinsic(bytes, (b) => runtime.decodeCall(b));
  } catch (e) {
    throw callError(isValidityError(e) ? `Could not decode extrinsic: ${e.data}` : 'Could not decode extrinsic');
  }
  const { call } = runtime.resolveCall(parsed.call);
  const weight = runtime.weightOf(parsed.call);
  const cls = call.class ?? 'Normal';
  const paysFee = (call.paysFee ?? true) && parsed.signed !== undefined;
  const { partialFee } = computeFee({ len, weight, class: cls, paysFee, tip: 0n });
  const baseFee = paysFee ? weightToFee({ refTime: EXTRINSIC_BASE_WEIGHT, proofSize: 0n }) : 0n;
  return {
    weight,
    class: cls,
    partialFee,
    baseFee,
    lenFee: paysFee ? BigInt(len) : 0n,
    adjustedWeightFee: paysFee ? weightToFee(weight) : 0n,
  };
}

const CLASS_INDEX = { Normal: 0, Operational: 1, Mandatory: 2 } as const;

/** Dispatches a `state_call`; returns the SCALE-encoded answer. */
export function runtimeCall(runtime: Runtime, state: StateReader, method: string, data: Uint8Array): Uint8Array {
  switch (method) {
    case 'Core_version':
      return encodeRuntimeVersion();
    case 'Metadata_metadata':
      return u8aConcat(compactToU8a(runtime.built.v14.length), runtime.built.v14);
    case 'Metadata_metadata_versions':
      return u8aConcat(compactToU8a(2), u32(14), u32(15));
    case 'Metadata_metadata_at_version': {
      if (data.length !== 4) throw callError('Metadata_metadata_at_version expects a u32');
      const v = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
      const md = v === 14 ? runtime.built.v14 : v === 15 ? runtime.built.v15 : undefined;
      return md === undefined ? Uint8Array.of(0) : u8aConcat(Uint8Array.of(1), compactToU8a(md.length), md);
    }
    case 'AccountNonceApi_account_nonce': {
      if (data.length !== 32) throw callError('AccountNonceApi_account_nonce expects an AccountId32');
      const raw = state.get(runtime.schema.key(Account, [data]));
      return u32(raw === undefined ? 0 : decodeAccountInfo(raw).nonce);
    }
    case 'TransactionPaymentApi_query_info': {
      const { ext, len } = splitExtrinsicAndLen(data);
      const f = queryFee(runtime, ext, len);
      return u8aConcat(compactToU8a(f.weight.refTime), compactToU8a(f.weight.proofSize), Uint8Array.of(CLASS_INDEX[f.class]), u64(f.partialFee));
    }
    case 'TransactionPaymentApi_query_fee_details': {
      const { ext, len } = splitExtrinsicAndLen(data);
      const f = queryFee(runtime, ext, len);
      const inclusion = f.partialFee === 0n ? Uint8Array.of(0) : u8aConcat(Uint8Array.of(1), u64(f.baseFee), u64(f.lenFee), u64(f.adjustedWeightFee));
      return u8aConcat(inclusion, u64(0n));
    }
    default:
      throw callError(`Other: Exported method ${method} is not found`);
  }
}

/** `state_call` data for the payment APIs: `Extrinsic ‖ u32 len`. */
function splitExtrinsicAndLen(data: Uint8Array): { ext: Uint8Array; len: number } {
  if (data.length < 5) throw callError('expected an extrinsic and its length');
  const ext = data.subarray(0, data.length - 4);
  const len = new DataView(data.buffer, data.byteOffset + data.length - 4, 4).getUint32(0, true);
  return { ext, len };
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function u64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
}
