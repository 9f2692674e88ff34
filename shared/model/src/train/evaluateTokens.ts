import { CrucibleError } from '@crucible/core';
import type { GptParams } from '../gpt/params.js';
import type { GptSession } from '../session/gptSession.js';

export interface TokenEvaluation {
  /** Mean next-byte loss in nats over all evaluated positions. */
  loss: number;
  bitsPerByte: number;
  /** Number of predicted positions. */
  positions: number;
}

/**
 * Mean loss of a model on a token stream: the stream is cut into consecutive non-overlapping windows
 * of blockSize+1 tokens (at most maxWindows; a final partial window is dropped) and every window's
 * blockSize next-token predictions count equally. Needs a session with the eval graph.
 */
export async function evaluateTokens(session: GptSession, params: GptParams, tokens: ArrayLike<number>, maxWindows = Infinity): Promise<TokenEvaluation> {
  const T = session.config.blockSize;
  const B = session.batch;
  const windows = Math.min(Math.floor((tokens.length - 1) / T), maxWindows);
  if (windows < 1) throw new CrucibleError('DATA', `the text has ${tokens.length} bytes; evaluation needs at least ${T + 1}`);
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  let sum = 0;
  for (let w0 = 0; w0 < windows; w0 += B) {
    const rows = Math.min(B, windows - w0);
    for (let b = 0; b < B; b++) {
      // Rows past the end repeat the last window so the batch is full; their losses are ignored.
      const start = (w0 + Math.min(b, rows - 1)) * T;
      for (let t = 0; t < T; t++) {
        inputs[b * T + t] = tokens[start + t]!;
        targets[b * T + t] = tokens[start + t + 1]!;
      }
    }
    const seq = await session.sequenceLoss(params, { tokens: inputs, targets });
    for (let b = 0; b < rows; b++) sum += seq[b]!;
  }
  const loss = sum / windows;
  return { loss, bitsPerByte: loss / Math.LN2, positions: windows * T };
}
