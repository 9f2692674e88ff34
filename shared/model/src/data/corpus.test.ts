import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCrucibleError } from '@crucible/core';
import { describe, expect, it } from 'vitest';
import { drawPages } from './drawPages.js';
import { Corpus } from './corpus.js';
import { loadCorpus, loadSotuCorpus, loadTextCorpus } from './loadCorpus.js';
import { decodeTokens } from './tokenizer.js';
import type { TokenArray } from './tokenArray.js';

describe('Corpus', () => {
  // 42 bytes ("aa\n\nbbbbbb\n\ncc…c\n\n") → 10 pages of 4 bytes.
  const docs = ['aa', 'bbbbbb', 'c'.repeat(28)];
  const corpus = Corpus.fromDocuments(docs, 'test', { pageSize: 4, valEvery: 3 });

  it('concatenates documents with the separator and cuts full pages, dropping the partial last page', () => {
    expect(corpus.tokenCount).toBe(2 + 2 + 6 + 2 + 28 + 2);
    // 42 tokens → 10 pages; global pages 2, 5, 8 are validation.
    expect(corpus.trainPageCount).toBe(7);
    expect(corpus.valPageCount).toBe(3);
    expect(decodeTokens(corpus.trainPage(0))).toBe('aa\n\n');
    expect(decodeTokens(corpus.trainPage(1))).toBe('bbbb');
    expect(decodeTokens(corpus.valPage(0))).toBe('bb\n\n');
  });

  it('keeps training and validation pages disjoint and covering every full page', () => {
    const offsets = (pages: TokenArray[]) => pages.map((p) => p.byteOffset);
    const train = offsets(Array.from({ length: corpus.trainPageCount }, (_, i) => corpus.trainPage(i)));
    const val = offsets(Array.from({ length: corpus.valPageCount }, (_, i) => corpus.valPage(i)));
    expect(train.filter((o) => val.includes(o))).toEqual([]);
    expect(new Set([...train, ...val]).size).toBe(10);
  });

  it('rejects out-of-range pages and too-small corpora with DATA', () => {
    expect(() => corpus.trainPage(7)).toThrow(/training page 7 out of range/);
    expect(() => corpus.valPage(-1)).toThrow(/out of range/);
    let caught: unknown;
    try {
      Corpus.fromDocuments(['tiny'], 'tiny', { pageSize: 4, valEvery: 3 });
    } catch (e) {
      caught = e;
    }
    expect(isCrucibleError(caught, 'DATA')).toBe(true);
  });

  it('draws a deterministic validation batch from validation pages only', () => {
    const a = corpus.validationBatch(4, 3);
    expect(corpus.validationBatch(4, 3)).toEqual(a);
    const valText = Array.from({ length: 3 }, (_, i) => decodeTokens(corpus.valPage(i)));
    for (let b = 0; b < 4; b++) {
      const row = decodeTokens(a.windows.subarray(b * 4, b * 4 + 4));
      expect(valText).toContain(row);
    }
  });
});

describe('loading corpora', () => {
  it('loads the default State of the Union corpus offline, deterministically', async () => {
    const corpus = await loadSotuCorpus();
    expect(corpus.source).toMatch(/^@stdlib\/datasets-sotu@/);
    expect(corpus.tokenCount).toBeGreaterThan(10_000_000);
    expect(corpus.trainPageCount).toBeGreaterThan(2000);
    expect(decodeTokens(corpus.trainPage(0))).toMatch(/^Fellow-Citizens of the Senate and House of Representatives/);
    const pages = drawPages('run', 4, corpus.trainPageCount);
    const batch = corpus.trainBatch(pages, 2, 64, 'step-0');
    expect(batch.inputs.length).toBe(128);
    const again = await loadCorpus();
    expect(again.contentHash()).toBe(corpus.contentHash());
  });

  it('loads a local directory in sorted path order, skipping dot files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crucible-corpus-'));
    try {
      await mkdir(join(dir, 'b'));
      await writeFile(join(dir, 'b', 'z.txt'), 'second');
      await writeFile(join(dir, 'a.txt'), 'first');
      await writeFile(join(dir, '.hidden'), 'never');
      const corpus = await loadTextCorpus(dir, { pageSize: 2, valEvery: 2 });
      expect(corpus.tokenCount).toBe('first\n\nsecond\n\n'.length);
      expect(decodeTokens(corpus.trainPage(0)) + decodeTokens(corpus.valPage(0))).toBe('fi' + 'rs');
      const single = await loadCorpus(join(dir, 'a.txt'), { pageSize: 2, valEvery: 2 });
      expect(single.tokenCount).toBe(7);
      await expect(loadTextCorpus(join(dir, 'missing'))).rejects.toThrow(/cannot be read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
