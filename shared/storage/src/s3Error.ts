import { CrucibleError } from '@crucible/core';

/** What the AWS SDK puts on its errors; read defensively, they are foreign objects. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  $response?: { headers?: Record<string, string | undefined> };
}

export function s3StatusOf(error: unknown): number | undefined {
  return (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
}

/** The one mapper from S3/SDK failures to CrucibleError codes; details carry op, key and S3 status. */
export function mapS3Error(error: unknown, op: string, key: string | undefined): CrucibleError {
  if (error instanceof CrucibleError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const status = s3StatusOf(error);
  const name = e.name ?? 'Error';
  const details = { op, key, status, s3Error: name };
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new CrucibleError('TIMEOUT', `${op} ${key ?? ''} timed out`.trim(), { details, cause: error });
  }
  // The SDK never follows redirects (plain node:http, region redirects off); one is refused, not retried,
  // since a peer's endpoint answering with one is trying to aim the reader somewhere else.
  if (status !== undefined && status >= 300 && status < 400) {
    const location = e.$response?.headers?.['location'];
    return new CrucibleError('STORAGE_FORBIDDEN', `${op} ${key ?? ''}: endpoint answered with a redirect (HTTP ${status}); redirects are not followed`, {
      details: { ...details, reason: 'redirect', ...(location === undefined ? {} : { location }) },
      cause: error,
    });
  }
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket') {
    return new CrucibleError('STORAGE_NOT_FOUND', `${op}: ${name === 'NoSuchBucket' ? 'no such bucket' : `no object ${key ?? ''}`}`, { details, cause: error });
  }
  if (status === 416 || name === 'InvalidRange') {
    return new CrucibleError('STORAGE', `${op} ${key ?? ''}: the range starts past the object's end`, { details: { ...details, status: 416 }, cause: error });
  }
  if (status === 413 || name === 'EntityTooLarge') {
    return new CrucibleError('STORAGE_TOO_LARGE', `${op} ${key ?? ''}: object too large`, { details, cause: error });
  }
  return new CrucibleError('STORAGE', `${op} ${key ?? ''} failed: ${name}${status === undefined ? '' : ` (HTTP ${status})`}`, { details, cause: error });
}

/** Network failures, throttling and server errors are worth another try; other 4xx are not. */
export function isRetryableStorageError(error: unknown): boolean {
  if (error instanceof CrucibleError) {
    if (error.code !== 'STORAGE' && error.code !== 'TIMEOUT') return false;
    const status = error.details.status;
    return status === undefined || status === 408 || status === 429 || (typeof status === 'number' && status >= 500);
  }
  return true;
}
