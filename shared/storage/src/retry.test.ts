import { describe, expect, it } from 'vitest';
import { CrucibleError } from '@crucible/core';
import { withRetry } from './retry.js';
import { isRetryableStorageError, mapS3Error } from './s3Error.js';

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps };
}

const transient = () => mapS3Error({ name: 'InternalError', $metadata: { httpStatusCode: 503 } }, 'put', 'k');

describe('withRetry', () => {
  it('retries transient failures with growing delays until one succeeds', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 4) throw transient();
        return 'ok';
      },
      { deadlineMs: 60_000, baseDelayMs: 100, maxDelayMs: 10_000, retryable: isRetryableStorageError, ...clock },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    clock.sleeps.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(100 * 2 ** i));
  });

  it('stops at the deadline and throws the last error with the attempt count', async () => {
    const clock = fakeClock();
    const error = await withRetry(
      async () => {
        throw transient();
      },
      { deadlineMs: 1000, baseDelayMs: 100, maxDelayMs: 400, retryable: isRetryableStorageError, ...clock },
    ).catch((e: unknown) => e as CrucibleError);
    expect(error.code).toBe('STORAGE');
    expect(error.details.status).toBe(503);
    expect(error.details.attempts).toBeGreaterThan(1);
    expect(clock.now()).toBeLessThan(1000);
  });

  it('does not retry permanent failures', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw mapS3Error({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, 'put', 'k');
        },
        { deadlineMs: 60_000, retryable: isRetryableStorageError },
      ),
    ).rejects.toMatchObject({ code: 'STORAGE', details: { status: 403 } });
    expect(calls).toBe(1);
  });
});

describe('mapS3Error', () => {
  it('maps S3 statuses to storage codes and keeps the status and cause', () => {
    const notFound = mapS3Error({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }, 'get', 'a');
    expect(notFound).toMatchObject({ code: 'STORAGE_NOT_FOUND', details: { status: 404, key: 'a', op: 'get' } });
    expect(mapS3Error({ name: 'EntityTooLarge', $metadata: { httpStatusCode: 400 } }, 'put', 'a').code).toBe('STORAGE_TOO_LARGE');
    expect(mapS3Error({ name: 'TimeoutError' }, 'list', 'p').code).toBe('TIMEOUT');
    const other = mapS3Error({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } }, 'put', 'a');
    expect(other).toMatchObject({ code: 'STORAGE', details: { status: 503, s3Error: 'SlowDown' } });
    expect(other.cause).toMatchObject({ name: 'SlowDown' });
  });
});
