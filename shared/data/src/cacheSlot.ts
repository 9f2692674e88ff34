import { mkdir, open, readFile, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CrucibleError } from '@crucible/core';

/** A cache folder this process alone uses until `release()`. */
export interface CacheSlot {
  readonly dir: string;
  /** Frees the slot for another process (the folder and its cached pages stay). Idempotent. */
  release(): Promise<void>;
}

const OWNER = 'owner.pid';

/**
 * Claims a page-cache folder under `root` that no other live process uses: `root/slot-0`, `slot-1`, …,
 * each owned through an `owner.pid` file created exclusively. A PageCache belongs to one process (it
 * clears half-written files when it opens), yet several processes may share one root: a validator and
 * its sandboxed evaluation workers, which BullMQ forks and re-forks. A slot whose owner died is taken
 * over (its pages are still valid and are re-hashed when read), so restarts reuse the same folders and
 * the disk holds at most one bounded cache per process that ran at the same time.
 */
export async function claimCacheDir(root: string, options: { maxSlots?: number; pid?: number } = {}): Promise<CacheSlot> {
  const pid = options.pid ?? process.pid;
  const maxSlots = options.maxSlots ?? 64;
  await mkdir(root, { recursive: true });
  for (let i = 0; i < maxSlots; i++) {
    const dir = join(root, `slot-${i}`);
    await mkdir(dir, { recursive: true });
    if ((await createOwner(dir, pid)) || (await takeOver(dir, pid))) {
      let released = false;
      return {
        dir,
        async release() {
          if (released) return;
          released = true;
          if ((await ownerOf(dir)) === pid) await unlink(join(dir, OWNER)).catch(() => undefined);
        },
      };
    }
  }
  throw new CrucibleError('DATA', `all ${maxSlots} dataset cache slots under ${root} are in use by live processes`, { details: { root } });
}

async function createOwner(dir: string, pid: number): Promise<boolean> {
  try {
    const file = await open(join(dir, OWNER), 'wx');
    await file.writeFile(String(pid));
    await file.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new CrucibleError('DATA', `cannot claim the dataset cache folder ${dir}`, { cause: error, details: { dir } });
  }
}

/**
 * Takes a slot whose owner is no longer alive. Two processes may find the same dead owner at once; the
 * `takeover` folder (mkdir is atomic) lets only one of them replace the owner file.
 */
async function takeOver(dir: string, pid: number): Promise<boolean> {
  const owner = await ownerOf(dir);
  // Our own pid: another claim of this process holds the slot (a process may open several readers).
  if (owner !== undefined && (owner === pid || isAlive(owner))) return false;
  const guard = join(dir, 'takeover');
  try {
    await mkdir(guard);
  } catch {
    return false;
  }
  try {
    if ((await ownerOf(dir)) !== owner) return false;
    await unlink(join(dir, OWNER)).catch(() => undefined);
    return await createOwner(dir, pid);
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

async function ownerOf(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, OWNER), 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
