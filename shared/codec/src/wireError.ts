import { CrucibleError } from '@crucible/core';

/** Every reason a blob can be refused; `details.reason` of a WIRE_FORMAT error is always one of these. */
export const wireErrorReasons = [
  'TOO_SHORT',
  'TOO_LARGE',
  'BAD_MAGIC',
  'WRONG_KIND',
  'VERSION_MISMATCH',
  'LENGTH_MISMATCH',
  'SIGNATURE_INVALID',
  'SIGNER_MISMATCH',
  'HEADER_MALFORMED',
  'HEADER_INVALID',
  'PARAMS_MISMATCH',
  'CODEC_MISMATCH',
  'CONTEXT_MISMATCH',
  'BODY_MALFORMED',
  'INDEX_OUT_OF_RANGE',
  'NON_FINITE',
] as const;

export type WireErrorReason = (typeof wireErrorReasons)[number];

export function wireError(reason: WireErrorReason, message: string, details: Record<string, unknown> = {}, cause?: unknown): CrucibleError {
  return new CrucibleError('WIRE_FORMAT', message, { details: { reason, ...details }, cause });
}
