import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';
import { contentHash } from '@crucible/storage';
import type { CollectedWindow, MinerCollection } from './collectWindow.js';

/**
 * What this validator observed of a window's uploads, kept in --state-dir so `replay` recomputes the
 * window from exactly the bytes it pinned and the times it saw them (a miner may delete or change its
 * objects later; the recorded content hashes say which bytes were judged):
 *   collections/<window>.json          statuses, content hashes, first-seen times, revealed keys
 *   collections/<window>/<hotkey>.crs  the pinned sealed bytes
 */
const recordSchema = z.strictObject({
  version: z.literal(1),
  window: z.number().int().min(0),
  observed: z.boolean(),
  cutoff: z.number().nullable(),
  miners: z.array(
    z.union([
      z.strictObject({ uid: z.number().int(), hotkey: z.string(), status: z.literal('on_time'), contentHash: z.string(), firstSeenAt: z.number(), key: z.string().nullable(), keyDetail: z.string() }),
      z.strictObject({ uid: z.number().int(), hotkey: z.string(), status: z.enum(['late', 'missing', 'unavailable']), detail: z.string() }),
    ]),
  ),
});

const dirOf = (stateDir: string) => join(stateDir, 'collections');

export async function saveCollection(stateDir: string, c: CollectedWindow, keepWindows: number): Promise<void> {
  const dir = dirOf(stateDir);
  await mkdir(join(dir, String(c.window)), { recursive: true });
  for (const m of c.miners) if (m.status === 'on_time') await writeFile(join(dir, String(c.window), `${m.hotkey}.crs`), m.sealed);
  const record = {
    version: 1,
    window: c.window,
    observed: c.observed,
    cutoff: Number.isFinite(c.cutoff) ? c.cutoff : null,
    miners: c.miners.map((m) =>
      m.status === 'on_time'
        ? { uid: m.uid, hotkey: m.hotkey, status: m.status, contentHash: m.contentHash, firstSeenAt: m.firstSeenAt, key: m.key ? Buffer.from(m.key).toString('hex') : null, keyDetail: m.keyDetail }
        : m,
    ),
  };
  const file = join(dir, `${c.window}.json`);
  await writeFile(`${file}.tmp`, JSON.stringify(record));
  await rename(`${file}.tmp`, file);
  for (const name of await readdir(dir)) {
    const w = Number.parseInt(name, 10);
    if (Number.isInteger(w) && w < c.window - keepWindows) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** The recorded collection of `window`, or undefined when this validator kept none. */
export async function loadCollection(stateDir: string, window: number): Promise<CollectedWindow | undefined> {
  let text: string;
  try {
    text = await readFile(join(dirOf(stateDir), `${window}.json`), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = recordSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new CrucibleError('CONFIG_INVALID', `collections/${window}.json in ${stateDir} is not a collection record`, { cause: parsed.error });
  const r = parsed.data;
  const miners: MinerCollection[] = [];
  for (const m of r.miners) {
    if (m.status !== 'on_time') {
      miners.push(m);
      continue;
    }
    const sealed = new Uint8Array(await readFile(join(dirOf(stateDir), String(window), `${m.hotkey}.crs`)));
    if (contentHash(sealed) !== m.contentHash) {
      throw new CrucibleError('CONFIG_INVALID', `the pinned bytes of ${m.hotkey} for window ${window} no longer hash to what was recorded`, { details: { window, hotkey: m.hotkey } });
    }
    miners.push({ ...m, sealed, key: m.key ? Uint8Array.from(Buffer.from(m.key, 'hex')) : undefined });
  }
  return { window: r.window, observed: r.observed, cutoff: r.cutoff ?? Number.POSITIVE_INFINITY, miners };
}
