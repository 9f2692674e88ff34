import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CrucibleError, describeError, type Logger } from '@crucible/core';
import { decodeCheckpoint, encodeCheckpoint } from '@crucible/model';
import type { CheckpointFollower, SavedLink } from '@crucible/protocol';

/**
 * The follower's state across restarts, in `<state-dir>/follow/`:
 *   links.json                   the newest links held, oldest first (written last: tmp + rename)
 *   <window>-<hash>.crm          each link's signed manifest, as published
 *   <window>-<hash>.safetensors  its parameters, for the links whose parameters were held
 * Payload files are immutable and named by content, so a file is written once and links.json only ever
 * names complete files; files it no longer names are deleted after it is replaced. A restarted
 * validator re-verifies all of it offline (CheckpointFollower.restore) and resumes from its head.
 */
const fileName = z.string().regex(/^[0-9]+-[0-9a-f]{16}\.(crm|safetensors)$/);
const indexSchema = z.strictObject({
  version: z.literal(1),
  links: z.array(z.strictObject({ window: z.number().int().min(0), source: z.string(), manifest: fileName, params: fileName.nullable() })),
});
const INDEX = 'links.json';

export async function loadFollowState(dir: string): Promise<SavedLink[]> {
  let text: string;
  try {
    text = await readFile(join(dir, INDEX), 'utf8');
  } catch {
    return [];
  }
  const parsed = indexSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new CrucibleError('CONFIG_INVALID', `${join(dir, INDEX)} is not a follow-state file`, { cause: parsed.error });
  const links: SavedLink[] = [];
  for (const l of parsed.data.links) {
    const bytes = new Uint8Array(await readFile(join(dir, l.manifest)));
    const checkpoint = l.params ? decodeCheckpoint(new Uint8Array(await readFile(join(dir, l.params)))) : undefined;
    links.push({ bytes, source: l.source, ...(checkpoint ? { checkpoint } : {}) });
  }
  return links;
}

export async function saveFollowState(dir: string, follower: CheckpointFollower): Promise<void> {
  await mkdir(dir, { recursive: true });
  const existing = new Set(await readdir(dir));
  const links = follower.links();
  const saved = follower.saved();
  const entries: Array<z.output<typeof indexSchema>['links'][number]> = [];
  for (const [i, s] of saved.entries()) {
    const m = links[links.length - saved.length + i]!.manifest;
    const stem = `${m.window}-${m.paramsHash.slice(2, 18)}`;
    const manifest = `${stem}.crm`;
    const params = s.checkpoint ? `${stem}.safetensors` : null;
    // Whole files only: a file present under its final name is complete (tmp + rename).
    const writeOnce = async (name: string, bytes: () => Uint8Array) => {
      if (existing.has(name)) return;
      await writeFile(join(dir, `${name}.tmp`), bytes());
      await rename(join(dir, `${name}.tmp`), join(dir, name));
    };
    await writeOnce(manifest, () => s.bytes);
    if (params && s.checkpoint) await writeOnce(params, () => encodeCheckpoint(s.checkpoint!));
    entries.push({ window: m.window, source: s.source, manifest, params });
  }
  await writeFile(join(dir, `${INDEX}.tmp`), JSON.stringify({ version: 1, links: entries }, null, 1));
  await rename(join(dir, `${INDEX}.tmp`), join(dir, INDEX));
  const named = new Set([INDEX, ...entries.flatMap((e) => [e.manifest, ...(e.params ? [e.params] : [])])]);
  for (const name of existing) if (!named.has(name)) await rm(join(dir, name), { force: true });
}

/** Restores `follower` from `dir`; a missing or unreadable state is logged and the follower starts fresh. */
export async function restoreFollower(dir: string, follower: CheckpointFollower, logger: Logger): Promise<number> {
  try {
    const restored = follower.restore(await loadFollowState(dir));
    const head = follower.head();
    if (head) logger.info('follow state restored', { links: restored, head: head.manifest.window, paramsHash: head.manifest.paramsHash });
    return restored;
  } catch (error) {
    logger.warn('follow state unreadable; following from scratch', { dir, error: describeError(error) });
    return 0;
  }
}

/** Saves `follower` to `dir`; a failure is logged (the next save tries again), never fatal. */
export async function persistFollower(dir: string, follower: CheckpointFollower, logger: Logger): Promise<void> {
  try {
    await saveFollowState(dir, follower);
  } catch (error) {
    logger.warn('could not save the follow state', { dir, error: describeError(error) });
  }
}

/** Where a validator keeps its follow state inside --state-dir. */
export function followStateDir(stateDir: string): string {
  return join(stateDir, 'follow');
}
