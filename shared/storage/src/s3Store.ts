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
import { boundedRequest } from './boundedRequest.js';
import type { BucketConfig } from './config.js';
import { checkContentHash, contentHash } from './contentHash.js';
import { endpointRefusal, type EndpointPolicy } from './endpointPolicy.js';
import { guardedAgents } from './guardedAgents.js';
import { CONTENT_HASH_METADATA } from './objectStore.js';
import type { ObjectInfo, ObjectStore, PutResult, StoredObject } from './objectStore.js';
import { readBody } from './readBody.js';
import { responseLimitMiddleware } from './responseLimit.js';
import { withRetry } from './retry.js';
import { isRetryableStorageError } from './s3Error.js';
import { ownBucketLimits, type StoreLimits } from './storeLimits.js';
import { checkRange, rangeHeader } from './range.js';

const agentOptions = { keepAlive: true, maxSockets: 50, timeout: 60_000 };

export interface S3StoreOptions {
  /** Which published credentials to use: your own bucket with `write`, a peer's with `read`. */
  readonly access: 'read' | 'write';
  /** Default deadline for put/delete retries (ms). */
  readonly deadlineMs?: number;
  /** Per-request timeout (ms), the whole response; overrides `limits.requestTimeoutMs`. */
  readonly requestTimeoutMs?: number;
  /** Keys per list page (S3's maximum and default is 1000). */
  readonly listPageSize?: number;
  /** Caps on every exchange (default: ownBucketLimits). */
  readonly limits?: Partial<StoreLimits>;
  /**
   * For an endpoint someone else chose: connect only where this policy allows, checked on every
   * connection. Throws STORAGE_FORBIDDEN at once for an endpoint URL the policy refuses.
   */
  readonly policy?: EndpointPolicy;
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
  if (options.policy) {
    const refusal = endpointRefusal(options.policy, config.endpoint);
    if (refusal) throw refusal;
  }
  const limits: StoreLimits = { ...ownBucketLimits, ...options.limits, ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }) };
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
    // node:http never follows redirects; neither may the SDK's region redirect (a 301 with another
    // region would send a second signed request wherever the answer says).
    followRegionRedirects: false,
    // With an agent timeout set, Node retires an idle kept-alive socket a second before the server's
    // `Keep-Alive: timeout=` hint. Without it, a request sent as the server closes the socket fails with
    // ECONNRESET and waits for a retry: measured against the local S3 server (5 s hint) with a miner's
    // ~6 s between uploads, PUTs of 8 ms took ~200 ms.
    requestHandler: options.policy ? guardedAgents(options.policy, agentOptions) : { httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions) },
  });
  // Innermost: sees each raw response before the SDK buffers or parses it (caps, deadline, budget).
  client.middlewareStack.add(responseLimitMiddleware() as never, { step: 'deserialize', priority: 'low', name: 'crucibleResponseLimit' });
  const bucket = config.bucket;
  const deadlineMs = options.deadlineMs ?? 60_000;
  const small = { timeoutMs: limits.requestTimeoutMs, maxBytes: limits.responseBytes };

  const listTooLarge = (prefix: string, limit: 'pages' | 'keys' | 'page-bytes', value: number, max: number) =>
    new CrucibleError('STORAGE_TOO_LARGE', `list ${prefix}: over the ${limit} limit (${max})`, { details: { op: 'list', key: prefix, limit, value, max } });

  return {
    bucket,

    async ensureBucket() {
      try {
        await boundedRequest('headBucket', undefined, small, (abortSignal) => client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }));
      } catch (error) {
        if (!(error instanceof CrucibleError) || error.code !== 'STORAGE_NOT_FOUND') throw error;
        await boundedRequest('createBucket', undefined, small, (abortSignal) => client.send(new CreateBucketCommand({ Bucket: bucket }), { abortSignal }));
      }
    },

    async put(key, body, putOptions = {}): Promise<PutResult> {
      const hash = contentHash(body);
      const metadata = { ...putOptions.metadata, [CONTENT_HASH_METADATA]: hash };
      const deadline = putOptions.deadlineMs ?? deadlineMs;
      await withRetry(
        () =>
          boundedRequest('put', key, { ...small, timeoutMs: deadline }, (abortSignal) =>
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
      const tooLarge = (size: number) =>
        new CrucibleError('STORAGE_TOO_LARGE', `object ${key} is over the ${maxBytes}-byte cap`, { details: { op: 'get', key, size, maxBytes } });
      return boundedRequest('get', key, { timeoutMs: getOptions.timeoutMs ?? limits.requestTimeoutMs, maxBytes, tooLarge, budget: getOptions.budget }, async (abortSignal) => {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
        const body = await readBody(key, response.Body as AsyncIterable<Uint8Array> | undefined, response.ContentLength, maxBytes, tooLarge);
        const metadata = { ...response.Metadata };
        return { key, body, metadata, contentHash: checkContentHash(key, body, metadata, getOptions.expectedContentHash) };
      });
    },

    async getRange(key, rangeOptions): Promise<Uint8Array> {
      const { offset, length } = rangeOptions;
      checkRange(key, offset, length);
      const tooLarge = (size: number) =>
        new CrucibleError('STORAGE_TOO_LARGE', `getRange ${key}: the server sent more than the ${length} bytes asked for`, { details: { op: 'getRange', key, offset, length, size } });
      return boundedRequest('getRange', key, { timeoutMs: rangeOptions.timeoutMs ?? limits.requestTimeoutMs, maxBytes: length, tooLarge, budget: rangeOptions.budget }, async (abortSignal) => {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: rangeHeader(offset, length) }), { abortSignal });
        // A server that ignores Range answers 200 with the whole object: refused before it is read.
        const body = await readBody(key, response.Body as AsyncIterable<Uint8Array> | undefined, response.ContentLength, length, tooLarge);
        if (body.length !== length) {
          throw new CrucibleError('STORAGE', `getRange ${key}: got ${body.length} of ${length} bytes (offset ${offset})`, { details: { op: 'getRange', key, offset, length, received: body.length } });
        }
        return body;
      });
    },

    async head(key, readOptions = {}) {
      try {
        const r = await boundedRequest('head', key, { ...small, timeoutMs: readOptions.timeoutMs ?? small.timeoutMs, budget: readOptions.budget }, (abortSignal) =>
          client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
        );
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

    async list(prefix, listOptions = {}): Promise<ObjectInfo[]> {
      const maxPages = Math.min(listOptions.maxPages ?? limits.listPages, limits.listPages);
      const maxKeys = Math.min(listOptions.maxKeys ?? limits.listKeys, limits.listKeys);
      const out: ObjectInfo[] = [];
      let token: string | undefined;
      for (let pages = 0; ; pages++) {
        // An endpoint can answer every page as truncated with a fresh token: stop, don't loop forever.
        if (pages >= maxPages) throw listTooLarge(prefix, 'pages', pages + 1, maxPages);
        const bounds = {
          timeoutMs: listOptions.timeoutMs ?? limits.requestTimeoutMs,
          maxBytes: limits.listPageBytes,
          tooLarge: (bytes: number) => listTooLarge(prefix, 'page-bytes', bytes, limits.listPageBytes),
          budget: listOptions.budget,
        };
        const page = await boundedRequest('list', prefix, bounds, (abortSignal) =>
          client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: Math.min(options.listPageSize ?? 1000, maxKeys) }), { abortSignal }),
        );
        for (const o of page.Contents ?? []) {
          if (o.Key === undefined) continue;
          if (out.length >= maxKeys) throw listTooLarge(prefix, 'keys', out.length + 1, maxKeys);
          out.push({ key: o.Key, size: o.Size ?? 0, ...(o.LastModified === undefined ? {} : { lastModified: o.LastModified }) });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
        if (token === undefined) return out;
      }
    },

    async delete(keys) {
      // DeleteObjects takes at most 1000 keys per request.
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const result = await withRetry(
          () =>
            boundedRequest('delete', batch[0], small, (abortSignal) =>
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
