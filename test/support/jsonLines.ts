import { existsSync, readFileSync } from 'node:fs';

/** The JSON objects of a JSON-lines file (a log, scores.jsonl) that `keep` accepts; other lines are skipped. */
export function readJsonLines<T>(file: string, keep: (x: Record<string, unknown>) => boolean = () => true): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l) => {
      if (!l.trim()) return [];
      try {
        const x = JSON.parse(l) as Record<string, unknown>;
        return x !== null && typeof x === 'object' && keep(x) ? [x as T] : [];
      } catch {
        return [];
      }
    });
}
