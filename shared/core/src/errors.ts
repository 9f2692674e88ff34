/**
 * Every error a user can cause is a CrucibleError with a stable `code` from this closed set. Codes are
 * part of the public interface: logs, metrics and tests match on them, never on messages.
 */
export const errorCodes = [
  'CONFIG_INVALID',
  'CONFIG_FILE_UNREADABLE',
  'USAGE',
  'WALLET_NOT_FOUND',
  'WALLET_MALFORMED',
  'WALLET_ENCRYPTED',
  'WALLET_PASSWORD_WRONG',
  'WALLET_EXISTS',
  'KEY_INVALID',
  'SIGNATURE_INVALID',
  'SERVICE_START_FAILED',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
  // Later packages extend their own areas; each new code is added here so the set stays closed.
  'CHAIN_RPC',
  'CHAIN_DISPATCH',
  'CHAIN_INVALID_TRANSACTION',
  'STORAGE',
  'STORAGE_NOT_FOUND',
  'STORAGE_TOO_LARGE',
  // An endpoint the endpoint policy refuses (scheme, address class, redirect); details.reason says why.
  'STORAGE_FORBIDDEN',
  // A caller's read budget (time or bytes across requests) ran out; details.budget says which.
  'STORAGE_BUDGET',
  // Bytes that do not match the hash they were pinned to or the object's recorded content hash.
  'STORAGE_INTEGRITY',
  'WIRE_FORMAT',
  'CODEC',
  'MODEL',
  'EXECUTION_PROVIDER',
  'DATA',
  // A dataset whose manifest or shard format is refused (bad, truncated, mismatched): permanent.
  'DATASET_INVALID',
  // Bytes that do not match the hash that pins them (a corrupt transfer or object): worth a retry.
  'DATA_CORRUPT',
  'CHECKPOINT_INVALID',
  'NOT_REGISTERED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface CrucibleErrorOptions {
  /** Structured facts about the failure (field names, values, limits); safe to log. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class CrucibleError extends Error {
  override readonly name: string = 'CrucibleError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: CrucibleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export function isCrucibleError(value: unknown, code?: ErrorCode): value is CrucibleError {
  return value instanceof CrucibleError && (code === undefined || value.code === code);
}

/** A short description of any thrown value, keeping the cause chain, for logs. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof CrucibleError) {
    const out: Record<string, unknown> = { code: error.code, message: error.message };
    if (Object.keys(error.details).length > 0) out.details = error.details;
    if (error.cause !== undefined) out.cause = describeError(error.cause);
    return out;
  }
  if (error instanceof Error) {
    const out: Record<string, unknown> = { message: error.message, type: error.name };
    if (error.cause !== undefined) out.cause = describeError(error.cause);
    return out;
  }
  return { message: String(error) };
}
