import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunDataOptions } from '@crucible/data';

/**
 * How a worker tells its sandboxed evaluation processes (forked by BullMQ, configured by nothing else)
 * where to cache dataset pages and how much: two environment variables of the fork.
 */
export const EVALUATION_DATA_ENV = { cacheRoot: 'CRUCIBLE_EVALUATOR_DATA_CACHE_ROOT', cacheBytes: 'CRUCIBLE_EVALUATOR_DATA_CACHE_BYTES' } as const;

export interface EvaluationDataSettings {
  /** Folder under which each evaluating process claims its own page cache. */
  cacheRoot: string;
  /** Disk bound per process (bytes). */
  cacheBytes: number;
}

export function evaluationDataEnv(s: EvaluationDataSettings): Record<string, string> {
  return { [EVALUATION_DATA_ENV.cacheRoot]: s.cacheRoot, [EVALUATION_DATA_ENV.cacheBytes]: String(s.cacheBytes) };
}

/** The RunData options a sandboxed processor reads from its environment (defaults: a temporary folder, 1 GiB). */
export function evaluationDataOptions(env: Readonly<Record<string, string | undefined>>): RunDataOptions {
  const bytes = Number(env[EVALUATION_DATA_ENV.cacheBytes]);
  return {
    cacheRoot: env[EVALUATION_DATA_ENV.cacheRoot] || join(tmpdir(), 'crucible-datasets'),
    ...(Number.isSafeInteger(bytes) && bytes > 0 ? { cacheBytes: bytes } : {}),
  };
}
