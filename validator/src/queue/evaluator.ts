import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrucibleError } from '@crucible/core';
import { RunDataHolder, type RunData } from '@crucible/data';
import { GptSession, paramTable, vocabSizeOf, type Batch, type Checkpoint, type GptParams } from '@crucible/model';
import { applyUpdate, decodeUpdate, evaluationSample, fetchManifest, fetchParams, outerStep, type DecodedUpdate, type RunConfig } from '@crucible/protocol';
import { contentHash, endpointPolicyFromFlags, PeerStores } from '@crucible/storage';
import type { Losses } from '@crucible/protocol';
import type { EvaluationJob, EvaluationResult } from './evaluationJob.js';

export interface EvaluatorOptions {
  /**
   * The run's text (a dataset reader whose page cache is this process's, or the shipped corpus). Given:
   * shared with the caller, who closes it. Default: one of its own, caching under the system's temporary
   * folder (crucible-datasets).
   */
  data?: RunDataHolder;
}

/**
 * Computes one job's losses. Holds what is expensive to rebuild between jobs: the ONNX session (one per
 * model shape and batch), the run's text (RunData: on a dataset, only the pages evaluated are fetched,
 * verified and cached on disk) and the last few base checkpoints (verified against the job's parameter
 * hash before use). Calls must not overlap (one session); a worker runs one at a time.
 */
export class Evaluator {
  private session: { key: string; session: GptSession } | undefined;
  private readonly data: RunDataHolder;
  private readonly ownsData: boolean;
  private readonly bases = new Map<string, GptParams>();
  /** Peer stores per endpoint policy (jobs carry their validator's). */
  private readonly stores = new Map<string, PeerStores>();

  constructor(options: EvaluatorOptions = {}) {
    this.ownsData = options.data === undefined;
    this.data = options.data ?? new RunDataHolder({ cacheRoot: join(tmpdir(), 'crucible-datasets') });
  }

  async evaluate(job: EvaluationJob): Promise<EvaluationResult> {
    const run = job.run;
    const table = paramTable(run.model);
    const bytes = Uint8Array.from(Buffer.from(job.update.bytes, 'base64'));
    if (contentHash(bytes) !== job.update.contentHash) {
      throw new CrucibleError('INTERNAL', `the job's update bytes do not hash to ${job.update.contentHash}`, { details: { window: job.window, hotkey: job.hotkey } });
    }
    // Checked again here: the coordinator's checks are not trusted across machines.
    const update = decodeUpdate(bytes, { params: table, hotkey: job.hotkey, window: job.window, codec: run.codec });
    if (update.header.baseCheckpoint !== job.base.paramsHash) {
      throw new CrucibleError('WIRE_FORMAT', 'update declares another base than the job', { details: { reason: 'CONTEXT_MISMATCH' } });
    }
    const base = await this.base(job);
    const data = await this.runData(run);
    const batches = await evaluationSample(data, run, { windowSeed: job.windowSeed, evaluationSeed: job.evaluationSeed, window: job.window, hotkey: job.hotkey });
    const session = await this.sessionFor(job);
    const { params: after, scale } = applyUpdate(base, update, { learningRate: run.outer.learningRate, reference: job.reference });
    const norm = update.norm;
    const mean = async (params: GptParams, batch: typeof batches.own) => {
      const seq = await session.sequenceLoss(params, { tokens: batch.inputs, targets: batch.targets });
      let s = 0;
      for (const v of seq) s += v;
      return s / seq.length;
    };
    const losses = {
      ownBefore: await mean(base, batches.own),
      ownAfter: await mean(after, batches.own),
      randomBefore: await mean(base, batches.random),
      randomAfter: await mean(after, batches.random),
    };
    return { losses, norm, scale, ownPages: batches.ownPages, randomPages: batches.randomPages };
  }

  /**
   * The control for the assigned-data check: the losses that the window's aggregate of every OTHER
   * evaluated update (leave-one-out, clipped and averaged as the outer step does) reaches on each
   * miner's own batch and on the shared random batch. A miner that trained on its pages beats the aggregate on them by more than it
   * does on random pages; comparing on the same pages cancels how easy each page is. Jobs on another
   * base than the first job's are left out (they get no control).
   */
  async evaluateControl(jobs: readonly EvaluationJob[], decoded: ReadonlyMap<string, DecodedUpdate>, exclusions: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Promise<Map<string, Losses>> {
    const out = new Map<string, Losses>();
    const first = jobs[0];
    if (!first) return out;
    const run = first.run;
    const table = paramTable(run.model);
    // The updates this process already decoded when it collected them: nothing is downloaded again.
    const sameBase = jobs.filter((j) => j.base.paramsHash === first.base.paramsHash && decoded.has(j.hotkey));
    const updates = sameBase.map((j) => decoded.get(j.hotkey)!);
    const base = await this.base(first);
    const data = await this.runData(run);
    const session = await this.sessionFor(first);
    const mean = async (params: GptParams, batch: Batch) => {
      const seq = await session.sequenceLoss(params, { tokens: batch.inputs, targets: batch.targets });
      let s = 0;
      for (const v of seq) s += v;
      return s / seq.length;
    };
    let randomBefore: number | undefined;
    for (let i = 0; i < sameBase.length; i++) {
      const job = sameBase[i]!;
      // Leave-one-out, and leave out near-copies of this miner's work: a copy of it must not count against it.
      const near = exclusions.get(job.hotkey) ?? new Set<string>();
      const others = updates.filter((_, j) => j !== i && !near.has(sameBase[j]!.hotkey));
      if (others.length === 0) continue;
      const control = outerStep(base, table, others, { learningRate: run.outer.learningRate, momentum: 0, reference: job.reference }).params;
      const batches = await evaluationSample(data, run, { windowSeed: job.windowSeed, evaluationSeed: job.evaluationSeed, window: job.window, hotkey: job.hotkey });
      randomBefore ??= await mean(base, batches.random);
      out.set(job.hotkey, {
        ownBefore: await mean(base, batches.own),
        ownAfter: await mean(control, batches.own),
        randomBefore,
        randomAfter: await mean(control, batches.random),
      });
    }
    return out;
  }

  /** The run's text as this evaluator reads it (opened on first use, reopened when the run's text changes). */
  runData(run: RunConfig): Promise<RunData> {
    return this.data.get(run);
  }

  async close(): Promise<void> {
    await this.session?.session.close();
    this.session = undefined;
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
    if (this.ownsData) await this.data.close();
  }

  private async base(job: EvaluationJob): Promise<GptParams> {
    const cached = this.bases.get(job.base.paramsHash);
    if (cached) return cached;
    const store = this.peers(job).get(job.base.pointer)!;
    const signed = await fetchManifest(store, job.base.window);
    if (!signed || signed.manifest.paramsHash !== job.base.paramsHash) {
      throw new CrucibleError('CHECKPOINT_INVALID', `base checkpoint ${job.base.paramsHash} of window ${job.base.window} is not in its bucket`);
    }
    const checkpoint: Checkpoint = await fetchParams(store, signed.manifest);
    if (this.bases.size >= 3) this.bases.delete(this.bases.keys().next().value!);
    this.bases.set(job.base.paramsHash, checkpoint.params);
    return checkpoint.params;
  }

  private peers(job: EvaluationJob): PeerStores {
    const key = JSON.stringify(job.peerEndpoints);
    let peers = this.stores.get(key);
    if (!peers) this.stores.set(key, (peers = new PeerStores({ policy: endpointPolicyFromFlags(job.peerEndpoints) })));
    return peers;
  }

  private async sessionFor(job: EvaluationJob): Promise<GptSession> {
    const m = job.run.model;
    const key = `${m.nLayer}|${m.nEmbd}|${m.nHead}|${m.blockSize}|${vocabSizeOf(m)}|${job.run.evaluation.sequences}|${job.onnxThreads}`;
    if (this.session?.key !== key) {
      await this.session?.session.close();
      const session = await GptSession.create({ config: m, batch: job.run.evaluation.sequences, threads: job.onnxThreads, graphs: ['eval'] });
      this.session = { key, session };
    }
    return this.session.session;
  }
}
