import { GRADIENT_EXTENSION, gradientsWindowPrefix, hotkeyOfGradientKey } from './keys.js';
import type { ObjectStore } from './objectStore.js';

export interface GradientObject {
  readonly hotkey: string;
  readonly key: string;
  readonly size: number;
}

/** Every gradient uploaded for a window (all list pages), with the hotkey its key names; other keys are ignored. */
export async function listGradients(store: ObjectStore, window: number, ext: string = GRADIENT_EXTENSION): Promise<GradientObject[]> {
  const out: GradientObject[] = [];
  for (const o of await store.list(gradientsWindowPrefix(window))) {
    const hotkey = hotkeyOfGradientKey(o.key, ext);
    if (hotkey !== undefined) out.push({ hotkey, key: o.key, size: o.size });
  }
  return out;
}
