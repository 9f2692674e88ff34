import { createLogger, CrucibleError, describeError, type Keypair, type Logger } from '@crucible/core';
import { connectChain } from '@crucible/chain';
import type { ValidatorConfig } from './config.js';
import type { Verdict } from './gauntlet/verdict.js';
import { endpointPolicyFromFlags, PeerStores } from '@crucible/storage';
import { chainWithSigners, createFollower, syncFollower } from './neuron/follow.js';
import { Evaluator } from './queue/evaluator.js';
import { recordedVerdicts } from './ratings/ratingsStore.js';
import { loadValidatorHotkey, stateDirOf } from './startValidator.js';
import { prepareWindow } from './window/prepareWindow.js';
import { historyOf, rateWindow, type Evaluate } from './window/rateWindow.js';

export interface ReplayResult {
  window: number;
  verdicts: Verdict[];
  /** What this validator recorded for the window in --state-dir, when it rated it. */
  recorded?: Verdict[];
  /** recorded and recomputed scores are identical (see sameScores). */
  identical?: boolean;
}

/**
 * Verdicts agree when the same miners have the same status, and scored ones bit-identical losses and
 * score. `missing` and `late` are the same outcome: an upload that was absent when the validator
 * looked and appeared after the deadline is `missing` live and `late` in a later replay.
 */
export function sameScores(a: readonly Verdict[], b: readonly Verdict[]): boolean {
  if (a.length !== b.length) return false;
  const norm = (v: Verdict) =>
    v.status === 'scored'
      ? JSON.stringify({ h: v.hotkey, u: v.uid, l: v.losses, s: v.score, i: v.assignedDataIndicator })
      : JSON.stringify({ h: v.hotkey, u: v.uid, r: v.reason === 'late' ? 'missing' : v.reason });
  return a.every((v, i) => norm(v) === norm(b[i]!));
}

/**
 * Recomputes window `window`'s verdicts from public objects and chain state only: the same blocks,
 * seeds, batches and checks as the live validator (prepareWindow + rateWindow), evaluated in-process.
 * Needs only the validator's hotkey address (its evaluation seed), not its secret.
 */
export async function replayWindow(
  config: ValidatorConfig,
  window: number,
  options: { hotkey?: Keypair; validatorHotkey?: string; logger?: Logger } = {},
): Promise<ReplayResult> {
  const logger = options.logger ?? createLogger({ name: 'replay', level: config.logging.level });
  const validatorHotkey = options.validatorHotkey ?? (await loadValidatorHotkey(config, options)).address;
  const client = await connectChain({ endpoint: config.chain.endpoint, logger });
  const stores = new PeerStores({ policy: endpointPolicyFromFlags(config.storage) });
  const evaluator = new Evaluator();
  try {
    const { follower, policy } = createFollower(client, config.netuid, logger);
    await syncFollower(client, config.netuid, follower, stores);
    const head = follower.head();
    if (!head) throw new CrucibleError('CHECKPOINT_INVALID', `no verified genesis checkpoint found on subnet ${config.netuid}`, { details: { netuid: config.netuid } });
    const ctx = await prepareWindow(client, {
      netuid: config.netuid,
      window,
      run: head.manifest.run,
      validatorHotkey,
      lateGraceMs: config.evaluation.lateGraceMs,
      chain: await chainWithSigners(follower, policy),
      stores,
    });
    const evaluate: Evaluate = async (jobs) => {
      const out: Awaited<ReturnType<Evaluate>> = new Map();
      for (const job of jobs) {
        try {
          out.set(job.hotkey, { status: 'done', result: await evaluator.evaluate(job) });
        } catch (error) {
          out.set(job.hotkey, { status: 'failed', reason: String(describeError(error).message) });
        }
      }
      return out;
    };
    const rated = await rateWindow(ctx, {
      history: (h) => historyOf(ctx, h),
      historyWindows: config.evaluation.historyWindows,
      evaluate,
      control: (jobs, updates) => evaluator.evaluateControl(jobs, updates),
      deadline: Date.now() + 3600_000,
      onnxThreads: config.evaluation.onnxThreads,
    });
    const recorded = await recordedVerdicts(stateDirOf(config), window);
    const result: ReplayResult = { window, verdicts: rated.verdicts };
    if (recorded) {
      result.recorded = recorded;
      result.identical = sameScores(recorded, rated.verdicts);
    }
    return result;
  } finally {
    await evaluator.close();
    stores.close();
    await client.close();
  }
}
