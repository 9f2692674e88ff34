import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable, Transform, pipeline } from 'node:stream';
import { CrucibleError } from '@crucible/core';

/**
 * The limits of one HTTP exchange with a storage endpoint, enforced below the SDK, on the raw response:
 * the SDK buffers a whole ListObjectsV2 answer before parsing it, so a cap must cut the bytes off as they
 * arrive, and a deadline must cover the body as well as the headers (a server trickling one byte every
 * two seconds never trips a per-socket idle timeout).
 */
export interface ResponseLimit {
  /** Aborts the exchange (connect, headers and body): the per-request timeout or a budget's time. */
  readonly signal: AbortSignal;
  /** Body bytes this response may have; more (declared or arriving) fails it. */
  readonly maxBytes: number;
  /** The error for a body over maxBytes. */
  tooLarge(bytes: number, declared: boolean): CrucibleError;
  /** Charges arriving bytes elsewhere (a budget); an error stops the response. */
  charge?(bytes: number): CrucibleError | undefined;
  /** The error for an aborted exchange. */
  aborted(): CrucibleError;
  /** The first error this limit raised (the SDK decorates errors thrown through it; callers use this one). */
  failure?: CrucibleError;
}

const current = new AsyncLocalStorage<ResponseLimit>();

/** Runs one SDK call with this response limit in force for every HTTP exchange it makes. */
export function withResponseLimit<T>(limit: ResponseLimit, run: () => Promise<T>): Promise<T> {
  return current.run(limit, run);
}

function fail(limit: ResponseLimit, error: CrucibleError): CrucibleError {
  limit.failure ??= error;
  return limit.failure;
}

/**
 * Error documents (any non-2xx answer) have a cap of their own: a 404 for a 10-byte object must still
 * be read as a 404, and no error document needs more than this.
 */
export const ERROR_DOCUMENT_BYTES = 64 * 1024;

function errorTooLarge(bytes: number): CrucibleError {
  return new CrucibleError('STORAGE', `error answer of ${bytes} bytes, over the ${ERROR_DOCUMENT_BYTES}-byte cap for error documents`, {
    details: { size: bytes, maxBytes: ERROR_DOCUMENT_BYTES },
  });
}

/** Counts the body's bytes as they pass and fails it at the cap, the budget or the deadline. */
function bounded(body: Readable, limit: ResponseLimit, max: number, tooLarge: (bytes: number) => CrucibleError): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) return callback(fail(limit, tooLarge(seen)));
      const over = limit.charge?.(chunk.length);
      if (over !== undefined) return callback(fail(limit, over));
      callback(null, chunk);
    },
  });
  const onAbort = () => counter.destroy(fail(limit, limit.aborted()));
  if (limit.signal.aborted) onAbort();
  else limit.signal.addEventListener('abort', onAbort, { once: true });
  // Either side failing destroys both, so the socket is closed rather than handed back half-read.
  pipeline(body, counter, () => limit.signal.removeEventListener('abort', onAbort));
  return counter;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/**
 * SDK middleware for the innermost (`deserialize`, priority `low`) slot of an S3 client's stack: it sees
 * each raw response before the SDK reads it, refuses a declared oversize body at once, and wraps the body
 * in the counting stream above. Outside withResponseLimit it does nothing.
 */
export function responseLimitMiddleware() {
  return (next: (args: { request: unknown }) => Promise<{ response: unknown }>) =>
    async (args: { request: unknown }): Promise<{ response: unknown }> => {
      const limit = current.getStore();
      const out = await next(args);
      if (limit === undefined) return out;
      const response = out.response as RawResponse;
      const body = response.body;
      if (!(body instanceof Readable)) return out;
      // A HEAD's content-length is the object's size, not a body that follows.
      const method = (args.request as { method?: string }).method;
      const errorAnswer = response.statusCode < 200 || response.statusCode >= 300;
      const max = errorAnswer ? ERROR_DOCUMENT_BYTES : limit.maxBytes;
      const tooLarge = (bytes: number, declared: boolean) => (errorAnswer ? errorTooLarge(bytes) : limit.tooLarge(bytes, declared));
      const declared = Number(response.headers['content-length'] ?? Number.NaN);
      if (method !== 'HEAD' && Number.isFinite(declared) && declared > max) {
        body.destroy();
        throw fail(limit, tooLarge(declared, true));
      }
      response.body = bounded(body, limit, max, (bytes) => tooLarge(bytes, false));
      return out;
    };
}
