import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

/**
 * The miner's durable state, in one folder:
 *   state.json      the commit record: which files below are current, the last uploaded window and the
 *                   upload in flight (if any)
 *   <name>-<n>.*    immutable payload files (error feedback, AdamW moments, checkpoints, a pending upload)
 * A change writes its new payload files first, then replaces state.json (temp file + rename; fsync of
 * the files and the folder, at once or in a later flush). A killed process leaves either the old or the
 * new state.json, and each names only files that were complete before it was written; files nobody
 * names are deleted at open.
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
  /** An encoded, signed update whose upload had started but was not known to be finished. */
  pending: z.strictObject({ window: z.number().int(), file: fileName, key: z.string() }).nullable(),
  /** Verified checkpoints held (parameters + the signed manifest bytes), oldest first. */
  checkpoints: z.array(z.strictObject({ window: z.number().int(), params: fileName, manifest: fileName, signer: z.string() })),
  counter: z.number().int().min(0),
});

export type MinerState = z.output<typeof minerStateSchema>;
export type StateIdentity = Pick<MinerState, 'hotkey' | 'netuid' | 'genesisHash'>;

const STATE_FILE = 'state.json';

async function writeAtomically(path: string, bytes: Uint8Array | string, sync: boolean): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(bytes);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
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
  for (const c of state.checkpoints) names.add(c.params).add(c.manifest);
  return names;
}

export class StateStore {
  private queue: Promise<void> = Promise.resolve();
  private readonly unsynced = new Set<string>();

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
      state = { version: 1, ...identity, lastUploadedWindow: null, errorFeedback: null, optimizer: null, pending: null, checkpoints: [], counter: 0 };
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
   * Writes `files`, then atomically switches to `update(state)` (which may name them); unreferenced files
   * are removed. Every commit survives a killed process the moment it resolves. With `sync: false` the
   * fsyncs (needed only against power loss) are left to a later flush(), off the caller's critical path.
   */
  commit(files: Record<string, Uint8Array>, update: (state: MinerState) => MinerState, options: { sync?: boolean } = {}): Promise<void> {
    // Commits run one at a time (the checkpoint sync commits while a window trains): a commit's garbage
    // collection must never see another commit's files before they are named.
    return this.enqueue(() => this.commitNow(files, update, options.sync ?? true));
  }

  /** fsyncs what commits with `sync: false` wrote: payload files first, then state.json, then the folder. */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      const names = [...this.unsynced];
      this.unsynced.clear();
      if (names.length === 0) return;
      await Promise.all(names.filter((n) => n !== STATE_FILE).map((n) => syncFile(join(this.dir, n))));
      await syncFile(join(this.dir, STATE_FILE));
      await syncDir(this.dir);
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commitNow(files: Record<string, Uint8Array>, update: (state: MinerState) => MinerState, sync: boolean): Promise<void> {
    await Promise.all(Object.entries(files).map(([name, bytes]) => writeAtomically(join(this.dir, name), bytes, sync)));
    const next = minerStateSchema.parse(update(this.current));
    await writeAtomically(join(this.dir, STATE_FILE), JSON.stringify(next, null, 2), sync);
    if (sync) {
      await syncDir(this.dir);
    } else {
      for (const name of Object.keys(files)) this.unsynced.add(name);
      this.unsynced.add(STATE_FILE);
    }
    this.current = next;
    await this.collectGarbage();
  }

  private async collectGarbage(): Promise<void> {
    const keep = referencedFiles(this.current);
    for (const name of await readdir(this.dir)) {
      if (!keep.has(name)) await rm(join(this.dir, name), { force: true, recursive: true });
    }
  }
}
