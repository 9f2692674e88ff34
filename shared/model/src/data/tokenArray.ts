import { CrucibleError } from '@crucible/core';

/**
 * Token ids in the narrowest unsigned integer type that holds the vocabulary: bytes (V ≤ 256) stay a
 * Uint8Array, the GPT-2 vocabulary (50,257) fits a Uint16Array, larger ones take a Uint32Array.
 */
export type TokenArray = Uint8Array | Uint16Array | Uint32Array;

/** The storage type of token ids (datasets record it; shards are written little-endian). */
export type TokenDtype = 'uint8' | 'uint16' | 'uint32';

export const TOKEN_DTYPES = ['uint8', 'uint16', 'uint32'] as const satisfies readonly TokenDtype[];

const byteWidth: Record<TokenDtype, 1 | 2 | 4> = { uint8: 1, uint16: 2, uint32: 4 };

/** Bytes per token id of a dtype. */
export function tokenBytes(dtype: TokenDtype): 1 | 2 | 4 {
  return byteWidth[dtype];
}

/** The narrowest dtype whose ids cover 0..vocabSize−1. */
export function dtypeForVocab(vocabSize: number): TokenDtype {
  if (!Number.isSafeInteger(vocabSize) || vocabSize < 2 || vocabSize > 2 ** 32) {
    throw new CrucibleError('DATA', `vocabulary size must be an integer in [2, 2^32], got ${vocabSize}`);
  }
  return vocabSize <= 2 ** 8 ? 'uint8' : vocabSize <= 2 ** 16 ? 'uint16' : 'uint32';
}

/** The dtype of a token array. */
export function dtypeOf(tokens: TokenArray): TokenDtype {
  return tokens instanceof Uint8Array ? 'uint8' : tokens instanceof Uint16Array ? 'uint16' : 'uint32';
}

/** A zeroed token array of `length` ids. */
export function allocTokens(dtype: TokenDtype, length: number): TokenArray {
  return dtype === 'uint8' ? new Uint8Array(length) : dtype === 'uint16' ? new Uint16Array(length) : new Uint32Array(length);
}

/**
 * A token array viewing `bytes` (little-endian ids, as shards store them; every platform Node runs on
 * is little-endian). Copies only when the bytes are not aligned to the id width.
 */
export function tokensFromBytes(dtype: TokenDtype, bytes: Uint8Array): TokenArray {
  const width = byteWidth[dtype];
  if (bytes.length % width !== 0) throw new CrucibleError('DATA', `${bytes.length} bytes are not a whole number of ${dtype} ids`);
  const source = bytes.byteOffset % width === 0 ? bytes : bytes.slice();
  const n = source.length / width;
  if (dtype === 'uint8') return source;
  return dtype === 'uint16' ? new Uint16Array(source.buffer, source.byteOffset, n) : new Uint32Array(source.buffer, source.byteOffset, n);
}

/** The little-endian bytes of a token array (a view, not a copy). */
export function bytesOfTokens(tokens: TokenArray): Uint8Array {
  return tokens instanceof Uint8Array ? tokens : new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength);
}
