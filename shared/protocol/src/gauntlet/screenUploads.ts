import { medianNorm } from '../update/clip.js';
import { isSameWork, similarity, type NormedUpdate, type SameWorkThresholds } from './similarity.js';
import type { RejectionReason } from './verdict.js';

/**
 * Before any loss is computed, the window's decoded updates are screened against each other and against
 * the kept earlier windows:
 *   - the same work as an earlier window's update (a replay of one's own, or a copy of another's,
 *     re-signed): the later one is rejected as `copy`; the original is never touched;
 *   - the same work uploaded by several hotkeys in one window: every one of them is rejected as `copy`.
 *     Updates are sealed until the upload deadline, so no one can copy another miner's update within
 *     its window; the same work in one window means the uploaders shared it, and shared work earns
 *     nothing (several hotkeys of one owner never multiply pay);
 * Size is not screened: every update counts at the reference norm (update/clip.ts), so a larger or
 * smaller one gains nothing. (A rule rejecting norms far above the median let a few tiny updates drag
 * the median down and get honest updates rejected: measured in the adversarial suite, two cheaters'
 * small updates had both honest miners of a window rejected as `oversized`.)
 * It also says which updates must stay out of each miner's leave-one-out control: any whose similarity
 * to it reaches controlExclusion, so a near-copy of a miner's work can never count against it.
 * Pure: same inputs, same answer, so replay agrees.
 */
export interface ScreenThresholds extends SameWorkThresholds {
  controlExclusion: number;
}

export interface Screenable {
  hotkey: string;
  uid: number;
  window: number;
  update: NormedUpdate;
}

export interface EarlierUpdate {
  hotkey: string;
  window: number;
  update: NormedUpdate;
}

export interface Screened<T> {
  kept: T[];
  rejected: Array<{ upload: T; reason: RejectionReason; detail: string }>;
  /** Median norm of the updates that passed the copy checks: the reference of the scale rule. */
  reference: number | null;
  /** For each kept hotkey, the kept hotkeys its control must leave out. */
  controlExclusions: Map<string, Set<string>>;
}

export function screenUploads<T extends Screenable>(current: readonly T[], history: readonly EarlierUpdate[], o: ScreenThresholds): Screened<T> {
  const rejected: Screened<T>['rejected'] = [];
  const copied = new Set<T>();
  for (const u of current) {
    for (const h of history) {
      if (h.window >= u.window) continue;
      const s = similarity(u.update, h.update);
      if (!isSameWork(s, o)) continue;
      const what = h.hotkey === u.hotkey ? `replay of its own window ${h.window} update` : `copy of ${h.hotkey}'s window ${h.window} update`;
      rejected.push({ upload: u, reason: 'copy', detail: `${what} (overlap ${s.overlap.toFixed(3)}, cosine ${s.cosine.toFixed(3)})` });
      copied.add(u);
      break;
    }
  }
  const fresh = current.filter((u) => !copied.has(u));
  const pairs = new Map<T, Map<T, { overlap: number; cosine: number }>>();
  for (let i = 0; i < fresh.length; i++) {
    for (let j = i + 1; j < fresh.length; j++) {
      const s = similarity(fresh[i]!.update, fresh[j]!.update);
      for (const [x, y] of [[fresh[i]!, fresh[j]!], [fresh[j]!, fresh[i]!]] as const) {
        let row = pairs.get(x);
        if (!row) pairs.set(x, (row = new Map()));
        row.set(y, s);
      }
    }
  }
  const shared = new Set<T>();
  for (const u of fresh) {
    const twins = [...(pairs.get(u) ?? [])].filter(([, s]) => isSameWork(s, o)).map(([t]) => t);
    if (twins.length === 0) continue;
    shared.add(u);
    rejected.push({ upload: u, reason: 'copy', detail: `the same work as ${twins.map((t) => t.hotkey).join(', ')} in this window (shared work earns nothing)` });
  }
  const kept = fresh.filter((u) => !shared.has(u));
  const reference = medianNorm(kept.map((u) => u.update.norm));
  const controlExclusions = new Map<string, Set<string>>();
  for (const u of kept) {
    const near = new Set<string>();
    for (const [other, s] of pairs.get(u) ?? []) if (Math.max(s.overlap, s.cosine) >= o.controlExclusion) near.add(other.hotkey);
    controlExclusions.set(u.hotkey, near);
  }
  return { kept, rejected, reference, controlExclusions };
}
