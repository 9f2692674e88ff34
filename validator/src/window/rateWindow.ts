import type { Logger } from '@crucible/core';
import { paramTable } from '@crucible/model';
import { scoreLosses, screenUploads, type DecodedUpdate, type EarlierUpdate, type Losses, type RejectionReason, type Verdict } from '@crucible/protocol';
import type { PeerEndpointFlags, S3Pointer } from '@crucible/storage';
import type { EvaluationJob, EvaluationResult } from '../queue/evaluationJob.js';
import type { CollectedWindow } from './collectWindow.js';
import { openUploads, type Upload } from './openUploads.js';
import type { WindowContext } from './prepareWindow.js';

export type Evaluate = (jobs: readonly EvaluationJob[]) => Promise<Map<string, { status: 'done'; result: EvaluationResult } | { status: 'failed' | 'pending'; reason?: string }>>;

/** Losses of the leave-one-out aggregate on each miner's batches (Evaluator.evaluateControl). */
export type Control = (jobs: readonly EvaluationJob[], updates: ReadonlyMap<string, DecodedUpdate>, exclusions: ReadonlyMap<string, ReadonlySet<string>>) => Promise<Map<string, Losses>>;

export interface RatedWindow {
  window: number;
  verdicts: Verdict[];
  /** Valid, on-time, scored uploads by hotkey (what the aggregator may use). */
  scoredUploads: Map<string, Upload>;
  /** Every upload that opened and decoded (copy detection of later windows compares against these). */
  uploads: Upload[];
  /** Jobs that did not finish (worker failures, deadline): the validator's fault, so not rated. */
  unfinished: Array<{ hotkey: string; reason: string }>;
  /** The scale rule's reference norm (median of the screened updates). */
  reference: number | null;
}

/**
 * Window u's collected uploads → verdicts, the same way live and in `replay`:
 *   open (seal, signature, header; late / missing / unavailable / invalid / non_finite) → declared base
 *   (stale base → invalid) → screening (copies of earlier windows, shared work in this window) → one
 *   evaluation job per survivor, carrying the pinned bytes and their hash → the control
 *   (leave-one-out aggregate without near-copies) → scoreLosses (not_improving / non_finite, or a score).
 */
export async function rateWindow(
  ctx: WindowContext,
  collected: CollectedWindow,
  o: { history: readonly EarlierUpdate[]; evaluate: Evaluate; control?: Control; deadline: number; onnxThreads: number; peerEndpoints: PeerEndpointFlags; logger?: Logger },
): Promise<RatedWindow> {
  const { run, window } = ctx;
  const { uploads, refusals } = openUploads(collected, { table: paramTable(run.model), codec: run.codec });
  const verdicts = new Map<string, Verdict>();
  const reject = (u: { hotkey: string; uid: number }, reason: RejectionReason, detail: string) => verdicts.set(u.hotkey, { status: 'rejected', hotkey: u.hotkey, uid: u.uid, reason, detail });
  for (const r of refusals) reject(r, r.reason, r.detail);

  const baseOf = new Map(ctx.bases.map((b) => [b.paramsHash, b]));
  const onBase: Upload[] = [];
  for (const u of uploads) {
    if (baseOf.has(u.update.header.baseCheckpoint)) onBase.push(u);
    else reject(u, 'invalid', `stale base ${u.update.header.baseCheckpoint.slice(0, 18)}…`);
  }

  const screened = screenUploads(onBase, o.history, run.evaluation);
  for (const r of screened.rejected) reject(r.upload, r.reason, r.detail);

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
      update: { contentHash: u.contentHash as `0x${string}`, bytes: Buffer.from(u.bytes).toString('base64') },
      base: { pointer: basePointer, window: base.window, paramsHash: base.paramsHash },
      run,
      windowSeed: ctx.windowSeed,
      evaluationSeed: ctx.evaluationSeed,
      reference: screened.reference,
      deadline: o.deadline,
      peerEndpoints: o.peerEndpoints,
      onnxThreads: o.onnxThreads,
    });
  }
  const outcomes = jobs.length > 0 ? await o.evaluate(jobs) : new Map();
  // Each miner's control is the aggregate of the others, so it needs at least two updates.
  const doneJobs = jobs.filter((j) => outcomes.get(j.hotkey)?.status === 'done');
  let control = new Map<string, Losses>();
  if (o.control && doneJobs.length >= 2) {
    try {
      control = await o.control(doneJobs, new Map(screened.kept.map((u) => [u.hotkey, u.update])), screened.controlExclusions);
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
  return { window, verdicts: ordered, scoredUploads, uploads, unfinished, reference: screened.reference };
}
