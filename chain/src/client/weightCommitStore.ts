/**
 * Where a validator keeps its unrevealed weight commits (the salt above all: without it a commit can
 * never be revealed). A small interface the caller provides; a JSON-file adapter (written atomically:
 * temp file, fsync, rename) survives restarts, an in-memory one serves tests.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

const pendingCommitSchema = z.strictObject({
  netuid: z.number().int().min(0).max(65535),
  hotkey: z.string().min(1),
  /** 0x-prefixed BlakeTwo256 commit hash. */
  hash: z.string().regex(/^0x[0-9a-f]{64}$/),
  uids: z.array(z.number().int().min(0).max(65535)),
  values: z.array(z.number().int().min(0).max(65535)),
  salt: z.array(z.number().int().min(0).max(65535)),
  /** u64 as a decimal string. */
  versionKey: z.string().regex(/^[0-9]+$/),
  /** Block the commit was included in and the epoch index the chain recorded for it. */
  commitBlock: z.number().int().min(0),
  commitEpoch: z.number().int().min(0),
});

export type PendingCommit = z.output<typeof pendingCommitSchema>;

const fileSchema = z.strictObject({ version: z.literal(1), commits: z.array(pendingCommitSchema) });

export interface WeightCommitStore {
  load(): Promise<PendingCommit[]>;
  /** Replaces the stored commits; resolves once they are durable. */
  save(commits: readonly PendingCommit[]): Promise<void>;
}

export function memoryCommitStore(initial: readonly PendingCommit[] = []): WeightCommitStore {
  let commits = [...initial];
  return {
    load: async () => [...commits],
    save: async (next) => {
      commits = [...next];
    },
  };
}

/** A JSON file (`{ version: 1, commits: [...] }`); a missing file is an empty store. */
export function jsonFileCommitStore(path: string): WeightCommitStore {
  return {
    async load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new CrucibleError('STORAGE', `could not read the weight commits in ${path}`, { cause, details: { path } });
      }
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new CrucibleError('CONFIG_INVALID', `${path} is not a weight-commit file: ${parsed.error.message}`, { details: { path } });
      return parsed.data.commits;
    },
    async save(commits) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: 1, commits }, null, 1));
      const fd = openSync(tmp, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    },
  };
}
