import type { ObjectStore } from './objectStore.js';
import { CHECKPOINTS_PREFIX, GRADIENTS_PREFIX, parseKey } from './keys.js';

/**
 * Deletes every gradient (and, with `checkpoints: true`, checkpoint) object of windows older than
 * `currentWindow − keepWindows`; keys not built by the keys module are left alone. Returns the
 * deleted keys.
 */
export async function deleteWindowsOlderThan(
  store: ObjectStore,
  currentWindow: number,
  keepWindows: number,
  options: { readonly checkpoints?: boolean } = {},
): Promise<string[]> {
  const oldest = currentWindow - keepWindows;
  const prefixes = options.checkpoints === true ? [GRADIENTS_PREFIX, CHECKPOINTS_PREFIX] : [GRADIENTS_PREFIX];
  const doomed: string[] = [];
  for (const prefix of prefixes) {
    for (const o of await store.list(prefix)) {
      const parsed = parseKey(o.key);
      if (parsed !== undefined && parsed.window < oldest) doomed.push(o.key);
    }
  }
  if (doomed.length > 0) await store.delete(doomed);
  return doomed;
}
