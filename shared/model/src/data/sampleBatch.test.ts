import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.js';
import { batchFromWindows, sampleBatch } from './sampleBatch.js';

const pages = [Uint8Array.from({ length: 16 }, (_, i) => i), Uint8Array.from({ length: 16 }, (_, i) => 100 + i)];

describe('sampleBatch', () => {
  it('draws (B, T+1) windows from the pages as documented', () => {
    const batch = sampleBatch(pages, { batchSize: 3, seqLen: 4, seed: 'b' });
    const prng = createPrng('b');
    for (let b = 0; b < 3; b++) {
      const page = pages[prng.nextInt(2)]!;
      const offset = prng.nextInt(16 - 4);
      expect(Array.from(batch.windows.subarray(b * 5, b * 5 + 5))).toEqual(Array.from(page.subarray(offset, offset + 5)));
    }
    expect(batch.inputs.length).toBe(12);
    expect(batch.targets.length).toBe(12);
  });

  it('gives next-token targets and windows of consecutive tokens within one page', () => {
    const batch = sampleBatch(pages, { batchSize: 8, seqLen: 15, seed: 1 });
    for (let b = 0; b < 8; b++) {
      for (let t = 0; t < 15; t++) {
        expect(batch.targets[b * 15 + t]).toBe(batch.inputs[b * 15 + t]! + 1);
      }
    }
  });

  it('is deterministic per seed', () => {
    const a = sampleBatch(pages, { batchSize: 4, seqLen: 5, seed: 'x' });
    expect(sampleBatch(pages, { batchSize: 4, seqLen: 5, seed: 'x' })).toEqual(a);
    expect(sampleBatch(pages, { batchSize: 4, seqLen: 5, seed: 'y' }).windows).not.toEqual(a.windows);
  });

  it('rejects pages shorter than T+1, no pages, and bad sizes', () => {
    expect(() => sampleBatch(pages, { batchSize: 1, seqLen: 16, seed: 0 })).toThrow(/shorter than seqLen \+ 1/);
    expect(() => sampleBatch([], { batchSize: 1, seqLen: 4, seed: 0 })).toThrow(/zero pages/);
    expect(() => sampleBatch(pages, { batchSize: 0, seqLen: 4, seed: 0 })).toThrow(/batchSize/);
    expect(() => batchFromWindows(new Uint8Array(7), 2, 3)).toThrow(/expected 2×4/);
  });

  it('draws the same windows from 16- and 32-bit pages as from byte pages with the same ids', () => {
    const bytes = sampleBatch(pages, { batchSize: 5, seqLen: 6, seed: 'w' });
    for (const Wide of [Uint16Array, Uint32Array]) {
      const wide = sampleBatch(pages.map((p) => Wide.from(p)), { batchSize: 5, seqLen: 6, seed: 'w' });
      expect(wide.windows).toBeInstanceOf(Wide);
      expect(Array.from(wide.windows)).toEqual(Array.from(bytes.windows));
      expect(wide.inputs).toEqual(bytes.inputs);
      expect(wide.targets).toEqual(bytes.targets);
    }
    const big = [Uint16Array.from({ length: 8 }, (_, i) => 50000 + i)];
    expect(Array.from(sampleBatch(big, { batchSize: 1, seqLen: 7, seed: 0 }).targets)).toEqual([50001, 50002, 50003, 50004, 50005, 50006, 50007]);
    expect(() => sampleBatch([pages[0]!, Uint16Array.from(pages[1]!)], { batchSize: 1, seqLen: 4, seed: 0 })).toThrow(/mix uint8 and uint16/);
  });
});
