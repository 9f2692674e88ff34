/**
 * pallet_transaction_payment (index 6) with subtensor's fee formula at spec 424:
 * fee = weight_to_fee(base extrinsic weight) + length × 1 rao + multiplier × weight_to_fee(call weight) + tip,
 * weight_to_fee(w) = w.ref_time × 0.0005 (Perbill 500_000), multiplier constant 1.
 * The fee is withdrawn before dispatch (Balances.Withdraw) and reported after it (TransactionFeePaid).
 */
import { definePallet, storageValue, type DispatchClass, type Weight } from '../../runtime/pallet.js';
import { EXTRINSIC_BASE_WEIGHT } from '../../runtime/runtimeVersion.js';

export const NextFeeMultiplier = storageValue('TransactionPayment', 'NextFeeMultiplier', 'u128');
export const StorageVersion = storageValue('TransactionPayment', 'StorageVersion', '{"_enum":["V1Ancient","V2"]}');

const PERBILL = 1_000_000_000n;
const COEFF_FRAC = 500_000n;

/** Perbill × refTime, rounded to the nearest with ties down (sp_arithmetic's `NearestPrefDown`). */
export function weightToFee(w: Weight): bigint {
  return (w.refTime * COEFF_FRAC + PERBILL / 2n - 1n) / PERBILL;
}

export interface FeeInputs {
  readonly len: number;
  readonly weight: Weight;
  readonly class: DispatchClass;
  readonly paysFee: boolean;
  readonly tip: bigint;
}

/** The partial fee (without tip) and the total fee to withdraw. */
export function computeFee(f: FeeInputs): { partialFee: bigint; total: bigint } {
  if (!f.paysFee) return { partialFee: 0n, total: f.tip };
  const partialFee = weightToFee({ refTime: EXTRINSIC_BASE_WEIGHT, proofSize: 0n }) + BigInt(f.len) + weightToFee(f.weight);
  return { partialFee, total: partialFee + f.tip };
}

export const transactionPaymentPallet = definePallet({
  index: 6,
  name: 'TransactionPayment',
  storage: [NextFeeMultiplier, StorageVersion],
  events: [{ index: 0, name: 'TransactionFeePaid', fields: ['AccountId32', 'u64', 'u64'] }],
  constants: [{ name: 'OperationalFeeMultiplier', type: 'u8', value: 5 }],
  genesis(ctx) {
    ctx.storage.set(NextFeeMultiplier, [], 10n ** 18n);
    ctx.storage.set(StorageVersion, [], 'V2');
  },
});
