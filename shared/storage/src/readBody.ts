import { CrucibleError } from '@crucible/core';

/**
 * Reads an object's body into one buffer of at most `maxBytes`. With a declared length it is allocated
 * once and filled (no second copy at the end); without one, chunks are gathered and counted as they
 * come. The response layer already cuts an oversize body off; this checks again, and refuses a body that
 * ends short of its declared length.
 */
export async function readBody(
  key: string,
  stream: (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined,
  declared: number | undefined,
  maxBytes: number,
  tooLarge: (size: number) => CrucibleError,
): Promise<Uint8Array> {
  if (declared !== undefined && declared > maxBytes) {
    stream?.destroy?.();
    throw tooLarge(declared);
  }
  if (stream === undefined) return new Uint8Array(0);
  const preallocated = declared !== undefined ? new Uint8Array(declared) : undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const end = size + chunk.length;
    if (end > maxBytes || (preallocated !== undefined && end > preallocated.length)) {
      stream.destroy?.();
      throw tooLarge(end);
    }
    if (preallocated !== undefined) preallocated.set(chunk, size);
    else chunks.push(chunk);
    size = end;
  }
  if (preallocated !== undefined) {
    if (size !== preallocated.length) {
      throw new CrucibleError('STORAGE', `object ${key} ended after ${size} of its ${preallocated.length} declared bytes`, { details: { op: 'get', key, size, declared } });
    }
    return preallocated;
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return body;
}
