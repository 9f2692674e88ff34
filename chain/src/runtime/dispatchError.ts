/**
 * `sp_runtime::DispatchError` as a JS error. Variant indices match the reference type (id 26); `toU8a`
 * gives the SCALE bytes that go into `System.ExtrinsicFailed`, `Sudo.Sudid` and `Utility.BatchInterrupted`.
 */
const VARIANTS = [
  'Other',
  'CannotLookup',
  'BadOrigin',
  'Module',
  'ConsumerRemaining',
  'NoProviders',
  'TooManyConsumers',
  'Token',
  'Arithmetic',
  'Transactional',
  'Exhausted',
  'Corruption',
  'Unavailable',
  'RootNotAllowed',
] as const;
export type DispatchErrorKind = (typeof VARIANTS)[number];

export const TOKEN_ERRORS = [
  'FundsUnavailable',
  'OnlyProvider',
  'BelowMinimum',
  'CannotCreate',
  'UnknownAsset',
  'Frozen',
  'Unsupported',
  'CannotCreateHold',
  'NotExpendable',
  'Blocked',
] as const;
export type TokenError = (typeof TOKEN_ERRORS)[number];

export const ARITHMETIC_ERRORS = ['Underflow', 'Overflow', 'DivisionByZero'] as const;
export type ArithmeticError = (typeof ARITHMETIC_ERRORS)[number];

export class DispatchError extends Error {
  override readonly name = 'DispatchError';

  private constructor(
    readonly kind: DispatchErrorKind,
    /** Module: pallet index; Token/Arithmetic/Transactional: the inner variant index. */
    readonly index: number,
    /** Module: error index within the pallet. */
    readonly error: number,
    label: string,
  ) {
    super(label);
  }

  static module(palletIndex: number, errorIndex: number, label = `Module(${palletIndex}, ${errorIndex})`): DispatchError {
    return new DispatchError('Module', palletIndex, errorIndex, label);
  }

  static token(e: TokenError): DispatchError {
    return new DispatchError('Token', TOKEN_ERRORS.indexOf(e), 0, `Token.${e}`);
  }

  static arithmetic(e: ArithmeticError): DispatchError {
    return new DispatchError('Arithmetic', ARITHMETIC_ERRORS.indexOf(e), 0, `Arithmetic.${e}`);
  }

  /** One of the field-less variants (BadOrigin, Other, CannotLookup, ...). */
  static simple(kind: Exclude<DispatchErrorKind, 'Module' | 'Token' | 'Arithmetic' | 'Transactional'>): DispatchError {
    return new DispatchError(kind, 0, 0, kind);
  }

  static badOrigin(): DispatchError {
    return DispatchError.simple('BadOrigin');
  }

  toU8a(): Uint8Array {
    const v = VARIANTS.indexOf(this.kind);
    switch (this.kind) {
      case 'Module':
        return Uint8Array.of(v, this.index, this.error, 0, 0, 0);
      case 'Token':
      case 'Arithmetic':
      case 'Transactional':
        return Uint8Array.of(v, this.index);
      default:
        return Uint8Array.of(v);
    }
  }
}

export function isDispatchError(e: unknown): e is DispatchError {
  return e instanceof DispatchError;
}
