import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

/**
 * Where a neuron's objects can be read, published on chain with `Commitments.set_commitment`.
 *
 * Wire format "crucible bucket pointer" v1 — one `Raw` commitment field of at most 128 bytes (the
 * largest `Data::Raw*` variant):
 *
 * ```
 * byte 0     0x43 ('C')      magic
 * byte 1     0x01            version
 * byte 2     kind            0 = public URL, 1 = S3 with read credentials, 2 = Cloudflare R2 (compact)
 * then the kind's fields:
 *   0  url                                                      (str)
 *   1  endpoint, region, bucket, accessKeyId, secretAccessKey   (str ×5)
 *   2  accountId (16 bytes), bucket (str), accessKeyId (16 bytes), secretAccessKey (32 bytes)
 * str = u8 length ‖ UTF-8 bytes
 * ```
 *
 * Kind 2 is chosen automatically for an R2 endpoint `https://<32 hex>.r2.cloudflarestorage.com` with
 * hex credentials of R2's lengths (32 and 64 hex digits); it decodes back to the S3 form with region
 * `auto`, so readers only ever see `public` or `s3`. Credentials published here are READ credentials:
 * everyone can read them.
 */
export type BucketPointer =
  | { kind: 'public'; url: string }
  | { kind: 's3'; endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string };

/** An S3 pointer as it travels inside other messages (evaluation jobs): validated where it enters. */
export const s3PointerSchema = z.strictObject({
  kind: z.literal('s3'),
  endpoint: z.string().url(),
  region: z.string().min(1),
  bucket: z.string().min(3).max(63),
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
});
export type S3Pointer = z.output<typeof s3PointerSchema>;

export const BUCKET_POINTER_MAGIC = 0x43;
export const BUCKET_POINTER_VERSION = 1;
/** The largest `Data::Raw*` commitment field (`Raw128`); longer pointers need `BigRaw` where the runtime has it. */
export const MAX_COMMITMENT_BYTES = 128;

const KIND_PUBLIC = 0;
const KIND_S3 = 1;
const KIND_R2 = 2;
const R2_ENDPOINT = /^https:\/\/([0-9a-f]{32})\.r2\.cloudflarestorage\.com\/?$/;
const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function wireError(message: string, details: Record<string, unknown> = {}, cause?: unknown): CrucibleError {
  return new CrucibleError('WIRE_FORMAT', message, { details, cause });
}

export function encodeBucketPointer(pointer: BucketPointer): Uint8Array {
  const out: number[] = [BUCKET_POINTER_MAGIC, BUCKET_POINTER_VERSION];
  const str = (field: string, value: string) => {
    const bytes = utf8.encode(value);
    if (bytes.length === 0 || bytes.length > 255) throw wireError(`bucket pointer field ${field} must be 1–255 bytes`, { field, bytes: bytes.length });
    out.push(bytes.length, ...bytes);
  };
  const hex = (value: string) => {
    for (let i = 0; i < value.length; i += 2) out.push(Number.parseInt(value.slice(i, i + 2), 16));
  };
  if (pointer.kind === 'public') {
    if (!/^https?:\/\//.test(pointer.url)) throw wireError('a public bucket URL must start with http:// or https://', { url: pointer.url });
    out.push(KIND_PUBLIC);
    str('url', pointer.url);
  } else {
    const r2 = R2_ENDPOINT.exec(pointer.endpoint);
    if (r2?.[1] !== undefined && HEX(32).test(pointer.accessKeyId) && HEX(64).test(pointer.secretAccessKey) && pointer.region === 'auto') {
      out.push(KIND_R2);
      hex(r2[1]);
      str('bucket', pointer.bucket);
      hex(pointer.accessKeyId);
      hex(pointer.secretAccessKey);
    } else {
      out.push(KIND_S3);
      str('endpoint', pointer.endpoint);
      str('region', pointer.region);
      str('bucket', pointer.bucket);
      str('accessKeyId', pointer.accessKeyId);
      str('secretAccessKey', pointer.secretAccessKey);
    }
  }
  if (out.length > MAX_COMMITMENT_BYTES) {
    throw new CrucibleError('STORAGE_TOO_LARGE', `bucket pointer is ${out.length} bytes; a commitment holds at most ${MAX_COMMITMENT_BYTES}`, {
      details: { bytes: out.length, limit: MAX_COMMITMENT_BYTES },
    });
  }
  return Uint8Array.from(out);
}

export function decodeBucketPointer(bytes: Uint8Array): BucketPointer {
  let offset = 0;
  const byte = (): number => {
    const value = bytes[offset];
    if (value === undefined) throw wireError('bucket pointer is truncated', { bytes: bytes.length });
    offset++;
    return value;
  };
  const raw = (length: number): Uint8Array => {
    if (offset + length > bytes.length) throw wireError('bucket pointer is truncated', { bytes: bytes.length });
    const slice = bytes.subarray(offset, offset + length);
    offset += length;
    return slice;
  };
  const str = (): string => {
    try {
      return utf8Decoder.decode(raw(byte()));
    } catch (cause) {
      if (cause instanceof CrucibleError) throw cause;
      throw wireError('bucket pointer field is not UTF-8', {}, cause);
    }
  };
  const hex = (length: number): string => Buffer.from(raw(length)).toString('hex');

  if (byte() !== BUCKET_POINTER_MAGIC) throw wireError('not a Crucible bucket pointer (bad magic byte)');
  const version = byte();
  if (version !== BUCKET_POINTER_VERSION) {
    throw wireError(`bucket pointer is version ${version}; this build reads version ${BUCKET_POINTER_VERSION}`, { version });
  }
  const kind = byte();
  let pointer: BucketPointer;
  if (kind === KIND_PUBLIC) {
    pointer = { kind: 'public', url: str() };
  } else if (kind === KIND_S3) {
    pointer = { kind: 's3', endpoint: str(), region: str(), bucket: str(), accessKeyId: str(), secretAccessKey: str() };
  } else if (kind === KIND_R2) {
    const account = hex(16);
    const bucket = str();
    pointer = {
      kind: 's3',
      endpoint: `https://${account}.r2.cloudflarestorage.com`,
      region: 'auto',
      bucket,
      accessKeyId: hex(16),
      secretAccessKey: hex(32),
    };
  } else {
    throw wireError(`unknown bucket pointer kind ${kind}`, { kind });
  }
  if (offset !== bytes.length) throw wireError('bucket pointer has trailing bytes', { bytes: bytes.length, used: offset });
  return pointer;
}

/** A committed pointer, or undefined when the commitment is absent or is not a bucket pointer (anyone may commit anything). */
export function pointerFromCommitment(commitment: { data: Uint8Array } | null | undefined): BucketPointer | undefined {
  if (!commitment) return undefined;
  try {
    return decodeBucketPointer(commitment.data);
  } catch {
    return undefined;
  }
}
