import { medianNorm } from '@crucible/protocol';
import { findCopies, type NormedUpdate, type UploadForComparison } from './similarity.js';
import type { RejectionReason } from './verdict.js';

export interface Screened<T> {
  kept: T[];
  rejected: Array<{ upload: T; reason: RejectionReason; detail: string }>;
  /** Median norm of the updates that passed the copy check: the evaluation clip and oversize yardstick. */
  medianNorm: number | null;
}

interface Screenable {
  hotkey: string;
  window: number;
  uploadedAt: number;
  update: NormedUpdate;
}

/**
 * Before any loss is computed: copies and replays (cosine ≥ copyThreshold with an earlier upload of this
 * window or a kept earlier window; the later uploader is blamed), then oversized updates (norm above
 * oversizeFactor × the median norm of the rest). Pure: same inputs, same answer, so replay agrees.
 */
export function screenUploads<T extends Screenable>(
  current: readonly T[],
  history: readonly UploadForComparison[],
  o: { copyThreshold: number; oversizeFactor: number },
): Screened<T> {
  const rejected: Screened<T>['rejected'] = [];
  const asComparison = (u: T): UploadForComparison => ({ hotkey: u.hotkey, window: u.window, uploadedAt: u.uploadedAt, update: u.update });
  const findings = findCopies(current.map(asComparison), history, o.copyThreshold);
  const copiers = new Map(findings.map((f) => [f.copier, f]));
  const originals: T[] = [];
  for (const u of current) {
    const f = copiers.get(u.hotkey);
    if (f) {
      const what = f.original === u.hotkey ? `replay of its own window ${f.originalWindow} update` : `copy of ${f.original}'s window ${f.originalWindow} update`;
      rejected.push({ upload: u, reason: 'copy', detail: `${what} (cosine ${f.similarity.toFixed(4)})` });
    } else originals.push(u);
  }
  const median = medianNorm(originals.map((u) => u.update.norm));
  const kept: T[] = [];
  for (const u of originals) {
    if (median !== null && u.update.norm > o.oversizeFactor * median) {
      rejected.push({ upload: u, reason: 'oversized', detail: `norm ${u.update.norm.toExponential(3)} > ${o.oversizeFactor} × median ${median.toExponential(3)}` });
    } else kept.push(u);
  }
  return { kept, rejected, medianNorm: median };
}
