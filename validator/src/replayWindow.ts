import { createLogger, CrucibleError, describeError, isCrucibleError, type Keypair, type Logger } from '@crucible/core';
import { connectChain } from '@crucible/chain';
import { RunDataHolder } from '@crucible/data';
import type { ValidatorConfig } from './config.js';
import type { EarlierUpdate, Verdict } from '@crucible/protocol';
import { paramTable } from '@crucible/model';
import { endpointPolicyFromFlags, PeerStores } from '@crucible/storage';
import { baseWindowLimit } from '@crucible/protocol';
import { chainWithSigners, createFollower, followerSources } from './neuron/follow.js';
import { Evaluator } from './queue/evaluator.js';
import { recordedVerdicts } from './ratings/ratingsStore.js';
import { evaluationDataSettings, loadValidatorHotkey, stateDirOf } from './startValidator.js';
import { loadCollection } from './window/collectionStore.js';
import { openUploads } from './window/openUploads.js';
import { prepareWindow } from './window/prepareWindow.js';
import { rateWindow, type Evaluate } from './window/rateWindow.js';

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
 * Needs only the validator's hotkey address (its evaluation seed), not its secret. The window's chain
 * state is read from `--chain.archive-endpoint` when one is given (a lite node keeps ~256 blocks); the
 * checkpoints it was rated against are reached from today's head through the hash chain.
 */
export async function replayWindow(
  config: ValidatorConfig,
  window: number,
  options: { hotkey?: Keypair; validatorHotkey?: string; logger?: Logger } = {},
): Promise<ReplayResult> {
  const logger = options.logger ?? createLogger({ name: 'replay', level: config.logging.level });
  const validatorHotkey = options.validatorHotkey ?? (await loadValidatorHotkey(config, options)).address;
  const client = await connectChain({ endpoint: config.chain.archiveEndpoint || config.chain.endpoint, logger });
  const stores = new PeerStores({ policy: endpointPolicyFromFlags(config.storage), limits: { requestTimeoutMs: config.evaluation.requestTimeoutMs } });
  const runData = new RunDataHolder({ ...evaluationDataSettings(config), logger });
  const evaluator = new Evaluator({ data: runData });
  const stateDir = stateDirOf(config);
  try {
    const { follower, policy } = createFollower(client, config.netuid, logger, 1);
    const sources = await followerSources(client, config.netuid, stores);
    await follower.sync(sources);
    const head = follower.head();
    if (!head) throw new CrucibleError('CHECKPOINT_INVALID', `no verified genesis checkpoint found on subnet ${config.netuid}`, { details: { netuid: config.netuid } });
    await follower.extendBack(sources, baseWindowLimit(window));
    const run = head.manifest.run;
    const ctx = await prepareWindow(client, { netuid: config.netuid, window, run, validatorHotkey, chain: await chainWithSigners(follower, policy), stores }).catch((error: unknown) => {
      if (!isCrucibleError(error, 'CHAIN_RPC') || config.chain.archiveEndpoint) throw error;
      throw new CrucibleError('CHAIN_RPC', `window ${window}'s chain state is not served by ${config.chain.endpoint}; replaying old windows needs --chain.archive-endpoint`, { cause: error, details: { window } });
    });
    const collected = await loadCollection(stateDir, window);
    if (!collected) {
      throw new CrucibleError('USAGE', `${stateDir} holds no collection of window ${window}: replay re-scores what this validator pinned (it keeps the last ${config.evaluation.keepCollections} windows)`, {
        details: { window, stateDir },
      });
    }
    // The earlier windows' uploads this validator had pinned: what it compared this window against.
    const history: EarlierUpdate[] = [];
    for (let h = Math.max(0, window - config.evaluation.historyWindows); h < window; h++) {
      const earlier = await loadCollection(stateDir, h);
      if (earlier) history.push(...openUploads(earlier, { table: paramTable(run.model), codec: run.codec }).uploads.map((u) => ({ hotkey: u.hotkey, window: h, update: u.update })));
    }
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
    const rated = await rateWindow(ctx, collected, {
      history,
      evaluate,
      control: (jobs, updates, exclusions) => evaluator.evaluateControl(jobs, updates, exclusions),
      deadline: Date.now() + 3600_000,
      onnxThreads: config.evaluation.onnxThreads,
      peerEndpoints: { allowPrivateEndpoints: config.storage.allowPrivateEndpoints, allowAddresses: config.storage.allowAddresses },
    });
    const recorded = await recordedVerdicts(stateDir, window);
    const result: ReplayResult = { window, verdicts: rated.verdicts };
    if (recorded) {
      result.recorded = recorded;
      result.identical = sameScores(recorded, rated.verdicts);
    }
    return result;
  } finally {
    await evaluator.close();
    await runData.close();
    stores.close();
    await client.close();
  }
}
