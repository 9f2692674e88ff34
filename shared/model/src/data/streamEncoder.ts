import type { Tokenizer } from './tokenizers.js';

export interface StreamEncoderOptions {
  /** Encode once this many characters are pending (at the last safe cut). Default 65,536. */
  chunkChars?: number;
  /** Cut anyway (forced) when this many characters have no safe cut. Default 1,048,576. */
  maxChars?: number;
}

/** Tokenizes one document at a time from its bytes as they arrive, in bounded memory. */
export interface StreamEncoder {
  /** The next bytes of the current document → ids that are final (possibly none yet). */
  write(bytes: Uint8Array): ArrayLike<number>[];
  /** Ends the current document: its remaining ids, then the tokenizer's document separator. */
  end(): ArrayLike<number>[];
}

/**
 * A streaming encoder. Byte tokenizers pass bytes through. Text tokenizers decode UTF-8 (streaming, so
 * a character split across writes is whole) and encode the pending text up to its last safe cut once
 * `chunkChars` are pending, so the ids equal `encode(whole document)` however the bytes were split —
 * unless a run of `maxChars` characters has no safe cut at all (e.g. a huge blob without spaces), which
 * is then cut at maxChars (still deterministic for the same document).
 */
export function createStreamEncoder(tokenizer: Tokenizer, options: StreamEncoderOptions = {}): StreamEncoder {
  if (tokenizer.input === 'bytes') {
    return { write: (bytes) => (bytes.length > 0 ? [bytes] : []), end: () => [tokenizer.documentSeparator] };
  }
  const chunkChars = options.chunkChars ?? 65_536;
  const maxChars = Math.max(chunkChars, options.maxChars ?? 1_048_576);
  let decoder = new TextDecoder('utf-8');
  let pending = '';

  function drain(out: ArrayLike<number>[]): void {
    while (pending.length >= chunkChars) {
      let cut = tokenizer.safeCut(pending);
      if (cut === 0) {
        if (pending.length < maxChars) return;
        // Never split a surrogate pair.
        const hi = pending.charCodeAt(maxChars - 1);
        cut = hi >= 0xd800 && hi <= 0xdbff ? maxChars - 1 : maxChars;
      }
      out.push(tokenizer.encode(pending.slice(0, cut)));
      // After a safe cut the rest has none, so the next turn waits for more text (or forces a cut).
      pending = pending.slice(cut);
    }
  }

  return {
    write(bytes) {
      pending += decoder.decode(bytes, { stream: true });
      const out: ArrayLike<number>[] = [];
      drain(out);
      return out;
    },
    end() {
      pending += decoder.decode();
      const out: ArrayLike<number>[] = [];
      if (pending.length > 0) out.push(tokenizer.encode(pending));
      out.push(tokenizer.documentSeparator);
      pending = '';
      decoder = new TextDecoder('utf-8');
      return out;
    },
  };
}
