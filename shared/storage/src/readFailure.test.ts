import { describe, expect, it } from 'vitest';
import { CrucibleError } from '@crucible/core';
import { classifyReadFailure } from './readFailure.js';

const e = (code: ConstructorParameters<typeof CrucibleError>[0], details: Record<string, unknown> = {}) => new CrucibleError(code, 'm', { details });

describe("what a failed read says about the bucket's owner", () => {
  it.each([
    [e('STORAGE_NOT_FOUND'), 'missing', 'not-found'],
    [e('STORAGE_TOO_LARGE', { op: 'get' }), 'invalid', 'too-large'],
    [e('STORAGE_TOO_LARGE', { op: 'list', limit: 'pages' }), 'unavailable', 'listing:pages'],
    [e('STORAGE_INTEGRITY', { source: 'pinned' }), 'invalid', 'integrity'],
    [e('STORAGE_FORBIDDEN', { reason: 'address' }), 'unavailable', 'forbidden:address'],
    [e('STORAGE_FORBIDDEN', { reason: 'redirect' }), 'unavailable', 'forbidden:redirect'],
    [e('STORAGE_BUDGET', { budget: 'time' }), 'unavailable', 'budget:time'],
    [e('TIMEOUT'), 'unavailable', 'timeout'],
    [e('STORAGE', { status: 500 }), 'unavailable', 'storage'],
    [new Error('socket hang up'), 'unavailable', 'storage'],
  ])('%s → %s (%s)', (error, verdict, reason) => {
    expect(classifyReadFailure(error)).toMatchObject({ verdict, reason });
  });
});
