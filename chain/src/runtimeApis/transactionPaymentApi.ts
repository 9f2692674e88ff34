/**
 * TransactionPaymentApi and TransactionPaymentCallApi: the fee an extrinsic will be charged, computed
 * by the same function that charges it (so an explorer's estimate equals the fee paid). The signature
 * is not checked, as in the real runtime API.
 */
import type { Codec } from '@polkadot/types/types';
import { computeFee, weightToFee } from '../pallets/transactionPayment/transactionPaymentPallet.js';
import { parseExtrinsic } from '../runtime/extrinsic.js';
import type { Runtime } from '../runtime/runtime.js';
import { EXTRINSIC_BASE_WEIGHT } from '../runtime/runtimeVersion.js';
import { isValidityError } from '../runtime/validity.js';
import { RuntimeApiError, type ApiModule } from './apiTypes.js';

export interface FeeInfo {
  readonly weight: { refTime: bigint; proofSize: bigint };
  readonly class: 'Normal' | 'Operational' | 'Mandatory';
  readonly partialFee: bigint;
  readonly baseFee: bigint;
  readonly lenFee: bigint;
  readonly adjustedWeightFee: bigint;
}

/** Fee of a call of `len` encoded bytes; `signed` false for unsigned extrinsics (which pay nothing). */
export function callFee(runtime: Runtime, call: Codec, len: number, signed = true): FeeInfo {
  const { call: decl } = runtime.resolveCall(call);
  const weight = runtime.weightOf(call);
  const cls = decl.class ?? 'Normal';
  const paysFee = (decl.paysFee ?? true) && signed;
  const { partialFee } = computeFee({ len, weight, class: cls, paysFee, tip: 0n });
  return {
    weight,
    class: cls,
    partialFee,
    baseFee: paysFee ? weightToFee({ refTime: EXTRINSIC_BASE_WEIGHT, proofSize: 0n }) : 0n,
    lenFee: paysFee ? BigInt(len) : 0n,
    adjustedWeightFee: paysFee ? weightToFee(weight) : 0n,
  };
}

/** Fee estimate of an encoded extrinsic (with its length prefix). */
export function queryFee(runtime: Runtime, bytes: Uint8Array, len: number): FeeInfo {
  let parsed;
  try {
    parsed = parseExtrinsic(bytes, (b) => runtime.decodeCall(b));
  } catch (e) {
    throw new RuntimeApiError(isValidityError(e) ? `Could not decode extrinsic: ${e.data}` : 'Could not decode extrinsic');
  }
  return callFee(runtime, parsed.call, len, parsed.signed !== undefined);
}

const CLASS = { Normal: 'Normal', Operational: 'Operational', Mandatory: 'Mandatory' } as const;

function dispatchInfo(f: FeeInfo) {
  return { weight: { refTime: f.weight.refTime, proofSize: f.weight.proofSize }, class: CLASS[f.class], partialFee: f.partialFee };
}

function feeDetails(f: FeeInfo) {
  return {
    inclusionFee: f.partialFee === 0n ? null : { baseFee: f.baseFee, lenFee: f.lenFee, adjustedWeightFee: f.adjustedWeightFee },
    tip: 0n,
  };
}

const num = (c: Codec | undefined) => Number(c?.toString());
const weightArg = (c: Codec | undefined) => {
  const w = c as unknown as { refTime: Codec; proofSize: Codec };
  return { refTime: BigInt(w.refTime.toString()), proofSize: BigInt(w.proofSize.toString()) };
};

export const transactionPaymentApi: ApiModule = {
  name: 'TransactionPaymentApi',
  methods: {
    // `uxt` is declared as the extrinsic type: its bytes are the extrinsic itself, length prefix included.
    query_info: ({ runtime }, [uxt, len]) => dispatchInfo(queryFee(runtime, (uxt as Codec).toU8a(), num(len))),
    query_fee_details: ({ runtime }, [uxt, len]) => feeDetails(queryFee(runtime, (uxt as Codec).toU8a(), num(len))),
    query_weight_to_fee: (_ctx, [w]) => weightToFee(weightArg(w)),
    query_length_to_fee: (_ctx, [len]) => BigInt(num(len)),
  },
};

export const transactionPaymentCallApi: ApiModule = {
  name: 'TransactionPaymentCallApi',
  methods: {
    query_call_info: ({ runtime }, [call, len]) => dispatchInfo(callFee(runtime, call as Codec, num(len))),
    query_call_fee_details: ({ runtime }, [call, len]) => feeDetails(callFee(runtime, call as Codec, num(len))),
    query_weight_to_fee: (_ctx, [w]) => weightToFee(weightArg(w)),
    query_length_to_fee: (_ctx, [len]) => BigInt(num(len)),
  },
};
