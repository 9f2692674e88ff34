import type { Tokenizer } from './tokenizers.js';

export interface StreamEncoderOptions {
  /** Encode once this many characters are pending (at the last safe cut). Default 65,536. */
  chunkChars?: number;
  /** Cut anyway (forced) when this many characters have no safe cut. Default 1,048,576. */
  maxChars?: number;
}

/** A piece of a document in order: text still to encode, or ids as they are (raw bytes, separators). */
export type DocumentPiece = string | ArrayLike<number>;

/** Cuts one document at a time, from its bytes as they arrive, into pieces that encode independently. */
export interface TextChunker {
  /** The next bytes of the current document → pieces that are final (possibly none yet). */
  write(bytes: Uint8Array): DocumentPiece[];
  /** Ends the current document: its remaining text, then the tokenizer's document separator (as ids). */
  end(): DocumentPiece[];
}

/** Tokenizes one document at a time from its bytes as they arrive, in bounded memory. */
export interface StreamEncoder {
  write(bytes: Uint8Array): ArrayLike<number>[];
  end(): ArrayLike<number>[];
}

/**
 * A text chunker. Byte tokenizers pass bytes through as ids. Text tokenizers decode UTF-8 (streaming,
 * so a character split across writes is whole) and emit the pending text up to its last safe cut once
 * `chunkChars` are pending, so encoding the pieces one by one gives the ids of `encode(whole document)`
 * however the bytes were split — unless a run of `maxChars` characters has no safe cut at all (e.g. a
 * huge blob without spaces), which is then cut at maxChars (still deterministic for the same document).
 * Pieces can be encoded anywhere (another thread) as long as their ids are kept in order.
 */
export function createTextChunker(tokenizer: Tokenizer, options: StreamEncoderOptions = {}): TextChunker {
  if (tokenizer.input === 'bytes') {
    return { write: (bytes) => (bytes.length > 0 ? [bytes] : []), end: () => [tokenizer.documentSeparator] };
  }
  const chunkChars = options.chunkChars ?? 65_536;
  const maxChars = Math.max(chunkChars, options.maxChars ?? 1_048_576);
  let decoder = new TextDecoder('utf-8');
  let pending = '';

  function drain(out: DocumentPiece[]): void {
    while (pending.length >= chunkChars) {
      let cut = tokenizer.safeCut(pending);
      if (cut === 0) {
        if (pending.length < maxChars) return;
        // Never split a surrogate pair.
        const hi = pending.charCodeAt(maxChars - 1);
        cut = hi >= 0xd800 && hi <= 0xdbff ? maxChars - 1 : maxChars;
      }
      out.push(pending.slice(0, cut));
      // After a safe cut the rest has none, so the next turn waits for more text (or forces a cut).
      pending = detached(pending.slice(cut));
    }
  }

  return {
    write(bytes) {
      pending += decoder.decode(bytes, { stream: true });
      const out: DocumentPiece[] = [];
      drain(out);
      return out;
    },
    end() {
      pending += decoder.decode();
      const out: DocumentPiece[] = pending.length > 0 ? [pending] : [];
      out.push(tokenizer.documentSeparator);
      pending = '';
      decoder = new TextDecoder('utf-8');
      return out;
    },
  };
}

/**
 * A copy of `s` that does not point into the string it was sliced from. V8 keeps a slice of 13 or more
 * characters as a view of its parent, so the few characters carried to the next write would keep the
 * whole decoded chunk alive long enough to be promoted to the old generation: a gigabyte of text then
 * becomes a gigabyte of old-generation garbage and the heap swells between major collections.
 */
function detached(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

/** A streaming encoder: createTextChunker's pieces, encoded on this thread. */
export function createStreamEncoder(tokenizer: Tokenizer, options: StreamEncoderOptions = {}): StreamEncoder {
  const chunker = createTextChunker(tokenizer, options);
  const encode = (pieces: DocumentPiece[]) => pieces.map((p) => (typeof p === 'string' ? tokenizer.encode(p) : p));
  return { write: (bytes) => encode(chunker.write(bytes)), end: () => encode(chunker.end()) };
}
