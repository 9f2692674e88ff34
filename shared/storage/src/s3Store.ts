import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CrucibleError } from '@crucible/core';
import type { BucketConfig } from './config.js';
import { checkContentHash, contentHash } from './contentHash.js';
import { CONTENT_HASH_METADATA } from './objectStore.js';
import type { ObjectInfo, ObjectStore, PutResult, StoredObject } from './objectStore.js';
import { withRetry } from './retry.js';
import { isRetryableStorageError, mapS3Error } from './s3Error.js';
import { checkRange, rangeHeader } from './range.js';

const agentOptions = { keepAlive: true, maxSockets: 50, timeout: 60_000 };

export interface S3StoreOptions {
  /** Which published credentials to use: your own bucket with `write`, a peer's with `read`. */
  readonly access: 'read' | 'write';
  /** Default deadline for put/delete retries (ms). */
  readonly deadlineMs?: number;
  /** Per-request timeout for head/list/delete (ms). */
  readonly requestTimeoutMs?: number;
  /** Keys per list page (S3's maximum and default is 1000). */
  readonly listPageSize?: number;
}

export interface S3Store extends ObjectStore {
  readonly bucket: string;
  /** Creates the bucket if it does not exist (local servers and first-time setup). */
  ensureBucket(): Promise<void>;
}

/** The only place Crucible talks to `@aws-sdk/client-s3`. */
export function createS3Store(config: BucketConfig, options: S3StoreOptions): S3Store {
  const credentials = options.access === 'write' ? config.write : config.read;
  if (credentials === undefined) {
    throw new CrucibleError('STORAGE', `bucket ${config.bucket} has no ${options.access} credentials configured`, {
      details: { bucket: config.bucket, access: options.access },
    });
  }
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    credentials,
    forcePathStyle: config.forcePathStyle,
    // Flexible checksums stream uploads with aws-chunked trailers; the local server (and some
    // S3-compatible services) store those bytes verbatim, corrupting the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Retries are ours (bounded by a deadline), not the SDK's.
    maxAttempts: 1,
    // With an agent timeout set, Node retires an idle kept-alive socket a second before the server's
    // `Keep-Alive: timeout=` hint. Without it, a request sent as the server closes the socket fails with
    // ECONNRESET and waits for a retry: measured against the local S3 server (5 s hint) with a miner's
    // ~6 s between uploads, PUTs of 8 ms took ~200 ms.
    requestHandler: { httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions) },
  });
  const bucket = config.bucket;
  const deadlineMs = options.deadlineMs ?? 60_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;

  async function send<T>(op: string, key: string | undefined, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    // AbortSignal.timeout takes a whole, positive number of milliseconds.
    const signal = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
    try {
      return await run(signal);
    } catch (error) {
      throw mapS3Error(error, op, key);
    }
  }

  return {
    bucket,

    async ensureBucket() {
      try {
        await send('headBucket', undefined, requestTimeoutMs, (abortSignal) => client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }));
      } catch (error) {
        if (!(error instanceof CrucibleError) || error.code !== 'STORAGE_NOT_FOUND') throw error;
        await send('createBucket', undefined, requestTimeoutMs, (abortSignal) => client.send(new CreateBucketCommand({ Bucket: bucket }), { abortSignal }));
      }
    },

    async put(key, body, putOptions = {}): Promise<PutResult> {
      const hash = contentHash(body);
      const metadata = { ...putOptions.metadata, [CONTENT_HASH_METADATA]: hash };
      const deadline = putOptions.deadlineMs ?? deadlineMs;
      await withRetry(
        () =>
          send('put', key, deadline, (abortSignal) =>
            client.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: key,
                Body: body,
                ContentLength: body.length,
                ContentType: putOptions.contentType ?? 'application/octet-stream',
                Metadata: metadata,
              }),
              { abortSignal },
            ),
          ),
        { deadlineMs: deadline, retryable: isRetryableStorageError },
      );
      return { key, size: body.length, contentHash: hash };
    },

    async get(key, getOptions): Promise<StoredObject> {
      const { maxBytes } = getOptions;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), getOptions.timeoutMs ?? requestTimeoutMs);
      const tooLarge = (size: number) =>
        new CrucibleError('STORAGE_TOO_LARGE', `object ${key} is over the ${maxBytes}-byte cap`, { details: { key, size, maxBytes } });
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: controller.signal });
        const declared = response.ContentLength;
        const stream = response.Body as BodyStream | undefined;
        if (declared !== undefined && declared > maxBytes) {
          stream?.destroy?.();
          throw tooLarge(declared);
        }
        const body = await readBody(stream, maxBytes, tooLarge);
        const metadata = { ...response.Metadata };
        checkContentHash(key, body, metadata);
        return { key, body, metadata };
      } catch (error) {
        if (controller.signal.aborted && !(error instanceof CrucibleError)) {
          throw new CrucibleError('TIMEOUT', `get ${key} took longer than ${getOptions.timeoutMs ?? requestTimeoutMs} ms`, {
            details: { op: 'get', key, timeoutMs: getOptions.timeoutMs ?? requestTimeoutMs },
            cause: error,
          });
        }
        throw mapS3Error(error, 'get', key);
      } finally {
        clearTimeout(timer);
      }
    },

    async getRange(key, { offset, length, timeoutMs = requestTimeoutMs }): Promise<Uint8Array> {
      checkRange(key, offset, length);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const tooLarge = (size: number) =>
        new CrucibleError('STORAGE_TOO_LARGE', `getRange ${key}: the server sent more than the ${length} bytes asked for`, {
          details: { key, offset, length, size },
        });
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: rangeHeader(offset, length) }), {
          abortSignal: controller.signal,
        });
        const stream = response.Body as BodyStream | undefined;
        // A server that ignores Range answers 200 with the whole object: refuse it before reading it.
        if (response.ContentLength !== undefined && response.ContentLength > length) {
          stream?.destroy?.();
          throw tooLarge(response.ContentLength);
        }
        const body = await readBody(stream, length, tooLarge);
        if (body.length !== length) {
          throw new CrucibleError('STORAGE', `getRange ${key}: got ${body.length} of ${length} bytes (offset ${offset})`, {
            details: { op: 'getRange', key, offset, length, received: body.length },
          });
        }
        return body;
      } catch (error) {
        if (controller.signal.aborted && !(error instanceof CrucibleError)) {
          throw new CrucibleError('TIMEOUT', `getRange ${key} took longer than ${timeoutMs} ms`, {
            details: { op: 'getRange', key, offset, length, timeoutMs },
            cause: error,
          });
        }
        throw mapS3Error(error, 'getRange', key);
      } finally {
        clearTimeout(timer);
      }
    },

    async head(key) {
      try {
        const r = await send('head', key, requestTimeoutMs, (abortSignal) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }));
        return {
          key,
          size: r.ContentLength ?? 0,
          ...(r.LastModified === undefined ? {} : { lastModified: r.LastModified }),
          metadata: { ...r.Metadata },
        };
      } catch (error) {
        if (error instanceof CrucibleError && error.code === 'STORAGE_NOT_FOUND') return undefined;
        throw error;
      }
    },

    async list(prefix): Promise<ObjectInfo[]> {
      const out: ObjectInfo[] = [];
      let token: string | undefined;
      do {
        const page = await send('list', prefix, requestTimeoutMs, (abortSignal) =>
          client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: options.listPageSize ?? 1000 }), { abortSignal }),
        );
        for (const o of page.Contents ?? []) {
          if (o.Key === undefined) continue;
          out.push({ key: o.Key, size: o.Size ?? 0, ...(o.LastModified === undefined ? {} : { lastModified: o.LastModified }) });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return out;
    },

    async delete(keys) {
      // DeleteObjects takes at most 1000 keys per request.
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const result = await withRetry(
          () =>
            send('delete', batch[0], requestTimeoutMs, (abortSignal) =>
              client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }), {
                abortSignal,
              }),
            ),
          { deadlineMs, retryable: isRetryableStorageError },
        );
        const failed = (result.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length > 0) {
          throw new CrucibleError('STORAGE', `delete failed for ${failed.length} objects`, {
            details: { op: 'delete', keys: failed.slice(0, 10).map((e) => e.Key), s3Error: failed[0]?.Code },
          });
        }
      }
    },

    close() {
      client.destroy();
    },
  };
}

type BodyStream = AsyncIterable<Uint8Array> & { destroy?: () => void };

/** Reads a response body whole, refusing (and closing the stream) once more than maxBytes arrive. */
async function readBody(stream: BodyStream | undefined, maxBytes: number, tooLarge: (size: number) => CrucibleError): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (stream !== undefined) {
    for await (const chunk of stream) {
      size += chunk.length;
      // The declared length can lie (or be absent): count what actually arrives.
      if (size > maxBytes) {
        stream.destroy?.();
        throw tooLarge(size);
      }
      chunks.push(chunk);
    }
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return body;
}
