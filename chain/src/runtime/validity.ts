/**
 * Transaction validity errors with the exact JSON-RPC codes and messages a Substrate node returns
 * (sc-rpc-api author errors; sp-runtime's InvalidTransaction / UnknownTransaction Display strings).
 */
export type InvalidTransaction =
  | 'Call'
  | 'Payment'
  | 'Future'
  | 'Stale'
  | 'BadProof'
  | 'AncientBirthBlock'
  | 'ExhaustsResources'
  | 'BadMandatory'
  | 'MandatoryValidation'
  | 'BadSigner';

export type UnknownTransaction = 'CannotLookup' | 'NoUnsignedValidator';

const INVALID_MESSAGES: Record<InvalidTransaction, string> = {
  Call: 'Transaction call is not expected',
  Payment: 'Inability to pay some fees (e.g. account balance too low)',
  Future: 'Transaction will be valid in the future',
  Stale: 'Transaction is outdated',
  BadProof: 'Transaction has a bad signature',
  AncientBirthBlock: 'Transaction has an ancient birth block',
  ExhaustsResources: 'Transaction would exhaust the block limits',
  BadMandatory: 'A call was labelled as mandatory, but resulted in an Error.',
  MandatoryValidation: 'Transaction dispatch is mandatory; transactions must not be validated.',
  BadSigner: 'Invalid signing address',
};

const UNKNOWN_MESSAGES: Record<UnknownTransaction, string> = {
  CannotLookup: 'Could not lookup information required to validate the transaction',
  NoUnsignedValidator: 'Could not find an unsigned validator for the unsigned transaction',
};

/** A rejected transaction: `code`/`message`/`data` are the JSON-RPC error the node answers with. */
export class TransactionValidityError extends Error {
  override readonly name = 'TransactionValidityError';

  constructor(
    readonly kind: 'Invalid' | 'Unknown' | 'Format',
    readonly reason: string,
    readonly code: number,
    readonly rpcMessage: string,
    readonly data: string,
  ) {
    super(`${rpcMessage}: ${data}`);
  }
}

export function invalidTx(reason: InvalidTransaction): TransactionValidityError {
  return new TransactionValidityError('Invalid', reason, 1010, 'Invalid Transaction', INVALID_MESSAGES[reason]);
}

/** `InvalidTransaction::Custom(code)`, what subtensor's signed extension returns (e.g. rate limits). */
export function customInvalidTx(code: number): TransactionValidityError {
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new Error(`custom invalid-transaction code ${code} is not a u8`);
  return new TransactionValidityError('Invalid', `Custom(${code})`, 1010, 'Invalid Transaction', `Custom error: ${code}`);
}

export function unknownTx(reason: UnknownTransaction): TransactionValidityError {
  return new TransactionValidityError('Unknown', reason, 1011, 'Unknown Transaction Validity', UNKNOWN_MESSAGES[reason]);
}

/** An extrinsic that does not decode (author error 1001, "Extrinsic has invalid format"). */
export function invalidFormat(detail: string): TransactionValidityError {
  return new TransactionValidityError('Format', 'BadFormat', 1001, 'Extrinsic has invalid format', detail);
}

export function isValidityError(e: unknown): e is TransactionValidityError {
  return e instanceof TransactionValidityError;
}
