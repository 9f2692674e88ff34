import { describe, expect, it } from 'vitest';
import { sequentialBatches } from './sequentialBatches.js';

describe('sequentialBatches', () => {
  it('predicts every token after the first exactly once, in order, with a smaller last batch', () => {
    const tokens = Uint8Array.from({ length: 23 }, (_, i) => i);
    const batches = [...sequentialBatches(tokens, { batchSize: 2, seqLen: 4 })];
    // (23 − 1) / 4 → 5 windows: batches of 2, 2, 1; tokens 21..22 (remainder) are not evaluated.
    expect(batches.map((b) => b.batchSize)).toEqual([2, 2, 1]);
    const targets = batches.flatMap((b) => Array.from(b.targets));
    expect(targets).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const inputs = batches.flatMap((b) => Array.from(b.inputs));
    expect(inputs).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('yields nothing for a text shorter than T+1', () => {
    expect([...sequentialBatches(new Uint8Array(4), { batchSize: 2, seqLen: 4 })]).toEqual([]);
    expect([...sequentialBatches(new Uint8Array(5), { batchSize: 2, seqLen: 4 })].length).toBe(1);
  });
});
