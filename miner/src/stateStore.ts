import { closeSync, openSync, renameSync, writevSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

/**
 * The miner's durable state, in one folder:
 *   state.json      the commit record: which files below are current, the last uploaded window and the
 *                   upload in flight (if any)
 *   <name>-<n>.*    immutable payload files (error feedback, AdamW moments, checkpoints, a pending upload)
 * A change writes its new payload files first (under fresh names nothing refers to yet, so no temp file
 * is needed), then replaces state.json (temp file + rename). A killed process leaves either the old or
 * the new state.json, and each names only files that were complete before it was written; files nobody
 * names are deleted at open. The fsyncs (of the files, then the folder) run at once or, for a commit
 * with `sync: false`, in a later flush(); files a commit supersedes are deleted only once it is durable.
 */
const fileName = z.string().regex(/^[a-z0-9.-]+$/);

export const minerStateSchema = z.strictObject({
  version: z.literal(1),
  hotkey: z.string(),
  netuid: z.number().int(),
  genesisHash: z.string(),
  /** Highest window whose update is known to be in storage (or known to be abandoned). */
  lastUploadedWindow: z.number().int().nullable(),
  /** Error-feedback buffers (safetensors) as of after the last encoded update. */
  errorFeedback: fileName.nullable(),
  /** AdamW moments (safetensors), when kept across windows. */
  optimizer: fileName.nullable(),
  /**
   * A sealed update whose upload had started but was not known to be finished: the file holds the sealed
   * bytes, `key` the storage key, `sealKey` (hex) the key that opens it.
   */
  pending: z.strictObject({ window: z.number().int(), file: fileName, key: z.string(), sealKey: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
  /** Seal keys to reveal once their window's deadline block is reached, before its reveal block. */
  reveals: z
    .array(z.strictObject({ window: z.number().int(), objectKey: z.string(), sealKey: z.string().regex(/^[0-9a-f]{64}$/), deadlineBlock: z.number().int(), revealBlock: z.number().int() }))
    .default([]),
  /**
   * The newest links of the checkpoint chain the miner follows, oldest first: the signed manifest
   * bytes as published and, for the newest, the parameters (null for an older link whose parameters it
   * no longer holds). `source` is the bucket it came from, `hash` its paramsHash.
   */
  checkpoints: z.array(
    z.strictObject({
      window: z.number().int(),
      params: fileName.nullable(),
      manifest: fileName,
      signer: z.string(),
      source: z.string().optional(),
      hash: z.string().optional(),
    }),
  ),
  counter: z.number().int().min(0),
});

export type MinerState = z.output<typeof minerStateSchema>;
export type StateIdentity = Pick<MinerState, 'hotkey' | 'netuid' | 'genesisHash'>;

const STATE_FILE = 'state.json';

/** A payload file's bytes: one buffer, or parts written one after the other (no concatenated copy). */
export type FileContent = Uint8Array | readonly Uint8Array[];

function partsOf(content: FileContent): { parts: Uint8Array[]; length: number } {
  const parts = content instanceof Uint8Array ? [content] : [...content];
  let length = 0;
  for (const p of parts) length += p.byteLength;
  return { parts, length };
}

function checkWritten(path: string, bytesWritten: number, length: number): void {
  if (bytesWritten !== length) {
    throw new CrucibleError('INTERNAL', `wrote ${bytesWritten} of ${length} bytes to ${path}`, { details: { path, bytesWritten, length } });
  }
}

/** Writes and fsyncs a file through the thread pool (the fsync waits for the disk). */
async function writeDurably(path: string, content: FileContent): Promise<void> {
  const { parts, length } = partsOf(content);
  const handle = await open(path, 'w', 0o600);
  try {
    // One writev for all parts (libuv splits it at IOV_MAX and resumes short writes).
    checkWritten(path, (await handle.writev(parts)).bytesWritten, length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file without fsync, inline: that is page-cache copies only (≈1 ms for the tiny model's 3 MB
 * a window), where a round trip through the thread pool per syscall costs more, and on a busy machine
 * each wait for a pool thread can cost a scheduler slice.
 */
function writeNow(path: string, content: FileContent): void {
  const { parts, length } = partsOf(content);
  const fd = openSync(path, 'w', 0o600);
  try {
    checkWritten(path, writevSync(fd, parts), length);
  } finally {
    closeSync(fd);
  }
}

/** Writes a file without fsync through the thread pool: the copy runs beside the caller's computation. */
async function writeInBackground(path: string, content: FileContent): Promise<void> {
  const { parts, length } = partsOf(content);
  const handle = await open(path, 'w', 0o600);
  try {
    checkWritten(path, (await handle.writev(parts)).bytesWritten, length);
  } finally {
    await handle.close();
  }
}

/** Replaces a file atomically: temp file, then rename. */
async function writeAtomically(path: string, text: string, sync: boolean): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const bytes = Buffer.from(text, 'utf8');
  if (sync) {
    await writeDurably(tmp, bytes);
    await rename(tmp, path);
  } else {
    writeNow(tmp, bytes);
    renameSync(tmp, path);
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function syncFile(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return; // superseded and collected meanwhile
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function referencedFiles(state: MinerState): Set<string> {
  const names = new Set<string>([STATE_FILE]);
  if (state.errorFeedback) names.add(state.errorFeedback);
  if (state.optimizer) names.add(state.optimizer);
  if (state.pending) names.add(state.pending.file);
  for (const c of state.checkpoints) {
    names.add(c.manifest);
    if (c.params) names.add(c.params);
  }
  return names;
}

export class StateStore {
  private queue: Promise<void> = Promise.resolve();
  /** Written by commits with `sync: false` and not fsynced yet. */
  private readonly unsynced = new Set<string>();
  /** No longer named (superseded, or left by a failed commit), to delete once the state naming their successors is durable. */
  private readonly doomed = new Set<string>();

  private constructor(
    readonly dir: string,
    private current: MinerState,
  ) {}

  /** Opens (or creates) the state folder of `identity`; refuses a folder that belongs to another miner or chain. */
  static async open(dir: string, identity: StateIdentity): Promise<StateStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let state: MinerState;
    let raw: string | undefined;
    try {
      raw = await readFile(join(dir, STATE_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (raw === undefined) {
      state = { version: 1, ...identity, lastUploadedWindow: null, errorFeedback: null, optimizer: null, pending: null, reveals: [], checkpoints: [], counter: 0 };
    } else {
      const parsed = minerStateSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) {
        throw new CrucibleError('CONFIG_INVALID', `miner state ${join(dir, STATE_FILE)} is not readable: ${parsed.error.message}`, { details: { dir } });
      }
      state = parsed.data;
      for (const key of ['hotkey', 'netuid', 'genesisHash'] as const) {
        if (state[key] !== identity[key]) {
          throw new CrucibleError('CONFIG_INVALID', `state folder ${dir} belongs to ${key} ${state[key]}, not ${identity[key]}; use another --state-dir`, {
            details: { dir, key, stored: state[key], wanted: identity[key] },
          });
        }
      }
    }
    const store = new StateStore(dir, state);
    await store.collectGarbage();
    return store;
  }

  get state(): Readonly<MinerState> {
    return this.current;
  }

  /** A fresh, never-used payload file name. */
  fileName(stem: string, ext: string): string {
    this.current = { ...this.current, counter: this.current.counter + 1 };
    return `${stem}-${this.current.counter}.${ext}`;
  }

  async read(name: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(join(this.dir, name)));
  }

  /**
   * Writes `files` (fresh names from fileName()), then atomically switches to `update(state)` (which may
   * name them). Every commit survives a killed process the moment it resolves. With `sync: false` the
   * fsyncs (needed only against power loss) are left to a later flush(), off the caller's critical path,
   * and so is deleting the files the commit superseded; what remains is page-cache copies, done inline.
   * File contents must not change until it resolves.
   */
  commit(
    files: Record<string, FileContent>,
    update: (state: MinerState) => MinerState,
    options: { sync?: boolean; /** Files written by writeAhead (awaited) that the new state may name. */ written?: readonly string[] } = {},
  ): Promise<void> {
    // Commits run one at a time (the checkpoint sync commits while a window trains), each from the state
    // the previous one left.
    return this.enqueue(() => this.commitNow(files, update, options.sync ?? true, options.written ?? []));
  }

  /**
   * Writes a payload file (a fresh name from fileName()) now, without fsync and outside the commit
   * queue, through the thread pool, so the copy overlaps whatever the caller computes meanwhile. A
   * later commit names it in `written` (after this resolved); the content must not change until then.
   * A file never committed is deleted by discard() or, after a crash, at the next open.
   */
  async writeAhead(name: string, content: FileContent): Promise<void> {
    try {
      await writeInBackground(join(this.dir, name), content);
    } catch (error) {
      this.doomed.add(name);
      throw error;
    }
  }

  /** Gives up a file written ahead that no commit will name: deleted with the next durable state. */
  discard(name: string): void {
    if (!referencedFiles(this.current).has(name)) this.doomed.add(name);
  }

  /**
   * fsyncs what commits with `sync: false` wrote (payload files first, then state.json, then the folder),
   * then deletes the files they superseded.
   */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      await this.syncPending();
      await this.deleteDoomed();
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commitNow(files: Record<string, FileContent>, update: (state: MinerState) => MinerState, sync: boolean, written: readonly string[]): Promise<void> {
    const names = [...Object.keys(files), ...written];
    let next: MinerState;
    try {
      if (sync) {
        await Promise.all(Object.keys(files).map((name) => writeDurably(join(this.dir, name), files[name]!)));
        await Promise.all(written.map((name) => syncFile(join(this.dir, name))));
      } else for (const name of Object.keys(files)) writeNow(join(this.dir, name), files[name]!);
      next = minerStateSchema.parse(update(this.current));
      await writeAtomically(join(this.dir, STATE_FILE), JSON.stringify(next, null, 2), sync);
    } catch (error) {
      // Not named by any state.json: delete with the next durable state (or at the next open).
      for (const name of names) this.doomed.add(name);
      throw error;
    }
    const keep = referencedFiles(next);
    for (const name of referencedFiles(this.current)) if (!keep.has(name)) this.doomed.add(name);
    this.current = next;
    if (sync) {
      // Durable now, with anything earlier commits left unsynced (this state.json may name their files).
      if (!(await this.syncPending())) await syncDir(this.dir);
      await this.deleteDoomed();
    } else {
      for (const name of names) this.unsynced.add(name);
      this.unsynced.add(STATE_FILE);
    }
  }

  /** fsyncs what `sync: false` commits left unsynced, folder included; false when there was nothing. */
  private async syncPending(): Promise<boolean> {
    const names = [...this.unsynced];
    this.unsynced.clear();
    if (names.length === 0) return false;
    await Promise.all(names.filter((n) => n !== STATE_FILE).map((n) => syncFile(join(this.dir, n))));
    await syncFile(join(this.dir, STATE_FILE));
    await syncDir(this.dir);
    return true;
  }

  /** Deletes superseded files; no directory scan, the commits that superseded them named them. */
  private async deleteDoomed(): Promise<void> {
    const keep = referencedFiles(this.current);
    const names = [...this.doomed].filter((n) => !keep.has(n));
    this.doomed.clear();
    await Promise.all(names.map((n) => unlinkIfPresent(join(this.dir, n))));
  }

  /** Deletes everything the current state does not name (at open: leftovers of a killed process). */
  private async collectGarbage(): Promise<void> {
    const keep = referencedFiles(this.current);
    for (const name of await readdir(this.dir)) {
      if (!keep.has(name)) await rm(join(this.dir, name), { force: true, recursive: true });
    }
  }
}
