import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { corpusFiles } from '@crucible/model';

export interface BenchTextOptions {
  /** Bytes per file (one document each). Default 16 MB. */
  readonly fileBytes?: number;
  /** Seed of the generator (uint32). Default 20. */
  readonly seed?: number;
}

/**
 * Writes at least `totalBytes` of English-like text into `dir` as files `doc-00000.txt`, … for the data
 * benchmark, without downloading anything: a word bigram chain learned from the State of the Union
 * corpus that @crucible/model ships, walked with a seeded mulberry32 generator, so the same arguments
 * always give the same bytes. Its vocabulary is that corpus's (~30k words), so a BPE tokenizer's word
 * cache hits more often than on web text.
 */
export async function writeBenchText(dir: string, totalBytes: number, options: BenchTextOptions = {}): Promise<{ files: number; bytes: number }> {
  const fileBytes = options.fileBytes ?? 16_000_000;
  const chain = await sotuBigrams();
  let state = (options.seed ?? 20) >>> 0;
  const random = () => {
    // mulberry32: tiny, fast and fixed forever, unlike Math.random.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let word = 0;
  let written = 0;
  let files = 0;
  while (written < totalBytes) {
    const out = createWriteStream(join(dir, `doc-${String(files).padStart(5, '0')}.txt`));
    let inFile = 0;
    while (inFile < fileBytes && written + inFile < totalBytes) {
      const parts: string[] = [];
      let length = 0;
      while (length < 1_000_000) {
        const n = chain.counts[word]!;
        word = n === 0 ? Math.floor(random() * chain.words.length) : chain.next[chain.starts[word]! + Math.floor(random() * n)]!;
        const w = chain.words[word]!;
        const piece = /^[.,;:!?]$/.test(w) ? (w === '.' && random() < 0.04 ? '.\n\n' : w) : ` ${w}`;
        parts.push(piece);
        length += piece.length;
      }
      const chunk = Buffer.from(parts.join(''), 'utf8');
      inFile += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    written += inFile;
    files++;
  }
  return { files, bytes: written };
}

interface Bigrams {
  readonly words: string[];
  /** For word i, its followers are next[starts[i] .. starts[i] + counts[i]) (repeated by frequency). */
  readonly starts: Int32Array;
  readonly counts: Int32Array;
  readonly next: Int32Array;
}

async function sotuBigrams(): Promise<Bigrams> {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const sequence: number[] = [];
  for (const file of (await corpusFiles('sotu')).files) {
    for (const m of (await readFile(file.path, 'utf8')).matchAll(/[A-Za-z]+(?:'[a-z]+)?|[0-9]+|[.,;:!?]/g)) {
      let id = ids.get(m[0]);
      if (id === undefined) {
        id = words.length;
        ids.set(m[0], id);
        words.push(m[0]);
      }
      sequence.push(id);
    }
  }
  const counts = new Int32Array(words.length);
  for (let i = 0; i + 1 < sequence.length; i++) counts[sequence[i]!]!++;
  const starts = new Int32Array(words.length);
  for (let i = 1; i < words.length; i++) starts[i] = starts[i - 1]! + counts[i - 1]!;
  const fill = new Int32Array(words.length);
  const next = new Int32Array(sequence.length);
  for (let i = 0; i + 1 < sequence.length; i++) {
    const w = sequence[i]!;
    next[starts[w]! + fill[w]!++] = sequence[i + 1]!;
  }
  return { words, starts, counts, next };
}
