import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrucibleError } from '@crucible/core';

export interface PageCacheOptions {
  /** A folder this cache owns (one process at a time). */
  readonly dir: string;
  /** Bound on the bytes of cached files; the least recently used go first. */
  readonly maxBytes: number;
}

const entryName = /^[a-z][0-9]{1,16}$/;

/**
 * A disk cache of small immutable blobs (pages, shard indexes) with a size bound and least-recently-used
 * eviction. Memory holds one small record per cached file (bounded by maxBytes / entry size), never
 * the blobs. Writes go to a temporary file and are renamed into place, so a crash leaves no half file;
 * a process restart rebuilds the order from the files' modification times. Readers verify what they
 * read back (a disk can corrupt too) and `delete` what fails.
 */
export class PageCache {
  readonly dir: string;
  readonly maxBytes: number;
  /** name → size, in least- to most-recently-used order (a Map keeps insertion order). */
  private readonly entries = new Map<string, number>();
  private total = 0;

  private constructor(options: PageCacheOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes;
  }

  static async open(options: PageCacheOptions): Promise<PageCache> {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) {
      throw new CrucibleError('CONFIG_INVALID', `cache size must be a non-negative integer of bytes, got ${options.maxBytes}`);
    }
    const cache = new PageCache(options);
    await mkdir(options.dir, { recursive: true });
    const found: { name: string; size: number; mtime: number }[] = [];
    for (const name of await readdir(options.dir)) {
      const path = join(options.dir, name);
      if (!entryName.test(name)) {
        if (name.startsWith('.tmp-')) await unlink(path).catch(() => undefined);
        continue;
      }
      const info = await stat(path);
      if (info.isFile()) found.push({ name, size: info.size, mtime: info.mtimeMs });
    }
    found.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : 1));
    for (const f of found) cache.remember(f.name, f.size);
    await cache.evict();
    return cache;
  }

  /** Bytes cached now (at most maxBytes). */
  get size(): number {
    return this.total;
  }

  get count(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The blob, or undefined when it is not cached; marks it most recently used. */
  async get(name: string): Promise<Uint8Array | undefined> {
    const size = this.entries.get(name);
    if (size === undefined) return undefined;
    try {
      const bytes = new Uint8Array(await readFile(join(this.dir, name)));
      this.remember(name, bytes.length);
      return bytes;
    } catch {
      this.forget(name);
      return undefined;
    }
  }

  /** Stores a blob (skipped when it alone is over the bound), then evicts down to the bound. */
  async put(name: string, bytes: Uint8Array): Promise<void> {
    if (!entryName.test(name)) throw new CrucibleError('INTERNAL', `bad cache entry name ${name}`);
    if (bytes.length > this.maxBytes) return;
    const tmp = join(this.dir, `.tmp-${name}-${randomBytes(4).toString('hex')}`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(this.dir, name));
    this.remember(name, bytes.length);
    await this.evict(name);
  }

  async delete(name: string): Promise<void> {
    if (!this.entries.has(name)) return;
    this.forget(name);
    await unlink(join(this.dir, name)).catch(() => undefined);
  }

  private remember(name: string, size: number): void {
    this.forget(name);
    this.entries.set(name, size);
    this.total += size;
  }

  private forget(name: string): void {
    const old = this.entries.get(name);
    if (old === undefined) return;
    this.entries.delete(name);
    this.total -= old;
  }

  private async evict(keep?: string): Promise<void> {
    for (const [name] of this.entries) {
      if (this.total <= this.maxBytes) return;
      if (name === keep) continue;
      await this.delete(name);
    }
  }
}
