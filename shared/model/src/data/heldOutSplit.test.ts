import { describe, expect, it } from 'vitest';
import { Corpus } from './corpus.js';
import { splitCounts, trainPageToGlobal, valPageToGlobal } from './heldOutSplit.js';

describe('held-out split', () => {
  it('numbers training and validation pages exactly as Corpus does', () => {
    for (const [pages, valEvery] of [[10, 3], [41, 20], [40, 20], [7, 2]] as const) {
      const tokens = Uint8Array.from({ length: pages * 2 + 1 }, (_, i) => Math.floor(i / 2) % 256); // page g holds g, g
      const corpus = new Corpus(tokens, 't', { pageSize: 2, valEvery });
      expect(splitCounts(pages, valEvery)).toEqual({ trainPages: corpus.trainPageCount, valPages: corpus.valPageCount });
      for (let i = 0; i < corpus.trainPageCount; i++) expect(trainPageToGlobal(i, valEvery)).toBe(corpus.trainPage(i)[0]);
      for (let j = 0; j < corpus.valPageCount; j++) expect(valPageToGlobal(j, valEvery)).toBe(corpus.valPage(j)[0]);
    }
  });

  it('maps in constant time at any scale', () => {
    expect(trainPageToGlobal(2 ** 40, 20)).toBe(Math.floor(2 ** 40 / 19) * 20 + (2 ** 40 % 19));
    expect(() => splitCounts(10, 1)).toThrow(/valEvery/);
  });
});
