import { describeError, isCrucibleError } from '@crucible/core';

/**
 * What a failed read of a peer's bucket says about its owner, for a verdict: the object is not there
 * (`missing`), the endpoint could not or would not serve it within its policy and budget
 * (`unavailable`), or what it served is not acceptable (`invalid`). `reason` is short and stable, for
 * logs and the verdict's detail: `not-found`, `too-large`, `integrity`, `forbidden:<why>`,
 * `budget:<time|bytes>`, `timeout`, `listing:<limit>`, `storage`.
 */
export interface ReadFailure {
  readonly verdict: 'missing' | 'unavailable' | 'invalid';
  readonly reason: string;
  readonly message: string;
}

export function classifyReadFailure(error: unknown): ReadFailure {
  const message = String(describeError(error).message);
  if (!isCrucibleError(error)) return { verdict: 'unavailable', reason: 'storage', message };
  const d = error.details;
  switch (error.code) {
    case 'STORAGE_NOT_FOUND':
      return { verdict: 'missing', reason: 'not-found', message };
    case 'STORAGE_TOO_LARGE':
      // An object over its cap is the miner's doing; a listing over its limits is an endpoint misbehaving.
      return d['op'] === 'list' ? { verdict: 'unavailable', reason: `listing:${String(d['limit'])}`, message } : { verdict: 'invalid', reason: 'too-large', message };
    case 'STORAGE_INTEGRITY':
      return { verdict: 'invalid', reason: 'integrity', message };
    case 'STORAGE_FORBIDDEN':
      return { verdict: 'unavailable', reason: `forbidden:${String(d['reason'])}`, message };
    case 'STORAGE_BUDGET':
      return { verdict: 'unavailable', reason: `budget:${String(d['budget'])}`, message };
    case 'TIMEOUT':
      return { verdict: 'unavailable', reason: 'timeout', message };
    default:
      return { verdict: 'unavailable', reason: 'storage', message };
  }
}
