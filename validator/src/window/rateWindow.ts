import type { Logger } from '@crucible/core';
import { maxGradientBytes } from '@crucible/codec';
import { paramTable } from '@crucible/model';
import { scoreLosses } from '../gauntlet/scoreLosses.js';
import { screenUploads } from '../gauntlet/screenUploads.js';
import type { UploadForComparison } from '../gauntlet/similarity.js';
import type { Losses, Verdict } from '../gauntlet/verdict.js';
import type { S3Pointer } from '@crucible/storage';
import type { DecodedUpdate } from '@crucible/protocol';
import type { EvaluationJob, EvaluationResult } from '../queue/evaluationJob.js';
import { collectUploads, type Upload } from './collectUploads.js';
import type { WindowContext } from './prepareWindow.js';

export type Evaluate = (jobs: readonly EvaluationJob[]) => Promise<Map<string, { status: 'done'; result: EvaluationResult } | { status: 'failed' | 'pending'; reason?: string }>>;

export interface RatedWindow {
  window: number;
  verdicts: Verdict[];
  /** Valid, on-time, scored uploads by hotkey (what the aggregator may use). */
  scoredUploads: Map<string, Upload>;
  /** Jobs that did not finish (worker failures, deadline): not the miner's fault, so not rated. */
  unfinished: Array<{ hotkey: string; reason: string }>;
  medianNorm: number | null;
}

/**
 * Window u's uploads → verdicts, the same way live and in `replay`:
 *   collect (missing / late / invalid / non_finite) → declared base check (stale base → invalid) →
 *   copy and oversize screening (against this window and `history`) → one evaluation job per survivor →
 *   scoreLosses (non_finite / not_improving, or a score).
 */
export async function rateWindow(
  ctx: WindowContext,
  o: {
    history: (window: number) => Promise<UploadForComparison[]>;
    historyWindows: number;
    evaluate: Evaluate;
    /** Losses of the window's aggregate on each miner's batches (see Evaluator.evaluateControl). */
    control?: (jobs: readonly EvaluationJob[], updates: ReadonlyMap<string, DecodedUpdate>) => Promise<Map<string, Losses>>;
    deadline: number;
    onnxThreads: number;
    logger?: Logger;
  },
): Promise<RatedWindow> {
  const { run, window } = ctx;
  const table = paramTable(run.model);
  const { uploads, refusals } = await collectUploads(ctx.miners, { window, table, codec: run.codec, lateAfter: ctx.lateAfter });
  const verdicts = new Map<string, Verdict>();
  for (const r of refusals) verdicts.set(r.hotkey, { status: 'rejected', hotkey: r.hotkey, uid: r.uid, reason: r.reason, detail: r.detail });

  const baseOf = new Map(ctx.bases.map((b) => [b.paramsHash, b]));
  const onBase: Upload[] = [];
  for (const u of uploads) {
    if (baseOf.has(u.update.header.baseCheckpoint)) onBase.push(u);
    else verdicts.set(u.hotkey, { status: 'rejected', hotkey: u.hotkey, uid: u.uid, reason: 'invalid', detail: `stale base ${u.update.header.baseCheckpoint.slice(0, 18)}…` });
  }

  const history: UploadForComparison[] = [];
  for (let h = Math.max(0, window - o.historyWindows); h < window; h++) history.push(...(await o.history(h)));
  const screened = screenUploads(onBase, history, { copyThreshold: run.evaluation.copyThreshold, oversizeFactor: run.evaluation.oversizeFactor });
  for (const r of screened.rejected) verdicts.set(r.upload.hotkey, { status: 'rejected', hotkey: r.upload.hotkey, uid: r.upload.uid, reason: r.reason, detail: r.detail });

  const maxBytes = maxGradientBytes(table, run.codec);
  const jobs: EvaluationJob[] = [];
  const unfinished: RatedWindow['unfinished'] = [];
  for (const u of screened.kept) {
    const base = baseOf.get(u.update.header.baseCheckpoint)!;
    const basePointer: S3Pointer | undefined = ctx.pointerByHotkey.get(base.signer);
    if (!basePointer) {
      unfinished.push({ hotkey: u.hotkey, reason: `no bucket known for the base checkpoint's signer ${base.signer}` });
      continue;
    }
    jobs.push({
      window,
      hotkey: u.hotkey,
      uid: u.uid,
      gradient: { pointer: u.pointer, key: u.key, maxBytes },
      base: { pointer: basePointer, window: base.window, paramsHash: base.paramsHash },
      run,
      windowSeed: ctx.windowSeed,
      evaluationSeed: ctx.evaluationSeed,
      clipNorm: screened.medianNorm !== null && screened.medianNorm > 0 ? screened.medianNorm : null,
      deadline: o.deadline,
      onnxThreads: o.onnxThreads,
    });
  }
  const outcomes = jobs.length > 0 ? await o.evaluate(jobs) : new Map();
  // Each miner's control is the aggregate of the others, so it needs at least two updates.
  const doneJobs = jobs.filter((j) => outcomes.get(j.hotkey)?.status === 'done');
  let control = new Map<string, Losses>();
  if (o.control && doneJobs.length >= 2) {
    try {
      control = await o.control(doneJobs, new Map(screened.kept.map((u) => [u.hotkey, u.update])));
    } catch (error) {
      o.logger?.warn('control evaluation failed; assigned-data check falls back to own vs random', { window, error: String(error) });
    }
  }
  const scoredUploads = new Map<string, Upload>();
  for (const u of screened.kept) {
    const outcome = outcomes.get(u.hotkey);
    if (!outcome) continue;
    if (outcome.status !== 'done') {
      unfinished.push({ hotkey: u.hotkey, reason: outcome.reason ?? outcome.status });
      continue;
    }
    const v = scoreLosses(u.hotkey, u.uid, outcome.result.losses, undefined, control.get(u.hotkey));
    verdicts.set(u.hotkey, v);
    if (v.status === 'scored') scoredUploads.set(u.hotkey, u);
  }
  const ordered = [...verdicts.values()].sort((a, b) => a.uid - b.uid);
  return { window, verdicts: ordered, scoredUploads, unfinished, medianNorm: screened.medianNorm };
}

/** History entries for copy detection: every decodable upload of `window`, late or not. */
export async function historyOf(ctx: Pick<WindowContext, 'miners' | 'run'>, window: number): Promise<UploadForComparison[]> {
  const { uploads } = await collectUploads(ctx.miners, { window, table: paramTable(ctx.run.model), codec: ctx.run.codec });
  return uploads.map((u) => ({ hotkey: u.hotkey, window: u.window, uploadedAt: u.uploadedAt, update: u.update }));
}
