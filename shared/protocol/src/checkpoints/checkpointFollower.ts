import { CrucibleError, describeError, type Logger } from '@crucible/core';
import type { Checkpoint } from '@crucible/model';
import type { ObjectStore } from '@crucible/storage';
import { fetchManifest, fetchParams, listCheckpointWindows } from './checkpointStore.js';
import { sameRun, type Manifest, type SignedManifest } from './manifest.js';
import type { SignerPolicy } from './signerPolicy.js';

/**
 * Follows the subnet's one chain of checkpoints. A checkpoint is accepted only when:
 *   - its manifest's signature verifies;
 *   - its signer is the hotkey the policy names for that window (the top-staked permitted validator
 *     at the first block of window + 1; for genesis, the subnet owner);
 *   - its parent is the checkpoint held (directly, or through a chain of accepted manifests);
 *   - its run configuration is the genesis one;
 *   - its parameters hash to the manifest's paramsHash and have the run's model shape.
 * Anything else is refused and reported with its reason; the last good checkpoint stays the head.
 * Manifests are walked link by link; parameters are downloaded only for the newest `keep` checkpoints.
 */
export interface CheckpointSource {
  /** The hotkey whose bucket this is (taken from its on-chain commitment). */
  hotkey: string;
  store: ObjectStore;
}

export interface HeldCheckpoint {
  manifest: Manifest;
  signer: string;
  checkpoint: Checkpoint;
}

export interface Rejection {
  source: string;
  window: number;
  reason: string;
}

export interface SyncResult {
  accepted: Manifest[];
  rejected: Rejection[];
}

interface Candidate extends SignedManifest {
  source: CheckpointSource;
}

export class CheckpointFollower {
  private readonly heldByWindow = new Map<number, HeldCheckpoint>();
  private chain: Manifest[] = [];
  private readonly refused = new Set<string>();

  constructor(
    private readonly options: {
      policy: SignerPolicy;
      /** How many of the newest checkpoints to keep parameters of (a miner's base may lag the head). */
      keep?: number;
      logger?: Logger;
    },
  ) {}

  /** Starts from a checkpoint held locally (restored from disk); it must have been verified before. */
  adopt(held: HeldCheckpoint): void {
    this.heldByWindow.set(held.manifest.window, held);
    this.chain.push(held.manifest);
    this.chain.sort((a, b) => a.window - b.window);
    this.trim();
  }

  head(): HeldCheckpoint | undefined {
    const last = this.chain.at(-1);
    return last ? this.heldByWindow.get(last.window) : undefined;
  }

  /** Accepted manifests, oldest first. */
  manifests(): readonly Manifest[] {
    return this.chain;
  }

  /** The held checkpoint of `window`, when its parameters are still kept. */
  held(window: number): HeldCheckpoint | undefined {
    return this.heldByWindow.get(window);
  }

  /** Looks through every source for checkpoints after the head and accepts the ones that extend it. */
  async sync(sources: readonly CheckpointSource[]): Promise<SyncResult> {
    const rejected: Rejection[] = [];
    const headWindow = this.chain.at(-1)?.window ?? -1;
    const candidates: Candidate[] = [];
    for (const source of sources) {
      let windows: number[];
      try {
        windows = await listCheckpointWindows(source.store);
      } catch (error) {
        rejected.push({ source: source.hotkey, window: -1, reason: `listing failed: ${String(describeError(error).message)}` });
        continue;
      }
      for (const window of windows) {
        if (window <= headWindow) continue;
        const id = `${source.hotkey}/${window}`;
        if (this.refused.has(id)) continue;
        try {
          const signed = await fetchManifest(source.store, window);
          if (!signed) continue;
          const authorized = await this.options.policy.authorizedSigner(signed.manifest);
          if (signed.signer !== authorized) {
            throw new CrucibleError('CHECKPOINT_INVALID', `signed by ${signed.signer}, but window ${window}'s checkpoint must be signed by ${authorized ?? 'nobody'}`);
          }
          candidates.push({ ...signed, source });
        } catch (error) {
          this.refuse(rejected, id, source.hotkey, window, error);
        }
      }
    }
    candidates.sort((a, b) => a.manifest.window - b.manifest.window);
    const links: Candidate[] = [];
    let tip = this.chain.at(-1);
    for (const c of candidates) {
      const m = c.manifest;
      const id = `${c.source.hotkey}/${m.window}`;
      if (tip === undefined) {
        if (m.parentHash !== null) continue; // nothing held yet: only a genesis can start the chain
      } else if (m.parentHash !== tip.paramsHash || m.parentWindow !== tip.window) {
        this.refuse(rejected, id, c.source.hotkey, m.window, new CrucibleError('CHECKPOINT_INVALID', `parent ${m.parentHash} at window ${m.parentWindow} is not the held chain's head (window ${tip.window}): a fork or an orphan`));
        continue;
      } else if (!sameRun(m.run, tip.run)) {
        this.refuse(rejected, id, c.source.hotkey, m.window, new CrucibleError('CHECKPOINT_INVALID', 'run configuration differs from the chain it extends'));
        continue;
      }
      links.push(c);
      tip = m;
    }
    const keep = this.options.keep ?? 3;
    // Parameters are verified for the newest `keep` links; a link whose parameters fail cuts the chain
    // there, and the links before it become the newest (so they need their parameters in turn).
    const fetched = new Map<number, Checkpoint>();
    let end = links.length;
    for (;;) {
      let failedAt = -1;
      for (let i = Math.max(0, end - keep); i < end; i++) {
        if (fetched.has(i)) continue;
        const c = links[i]!;
        try {
          fetched.set(i, await fetchParams(c.source.store, c.manifest));
        } catch (error) {
          this.refuse(rejected, `${c.source.hotkey}/${c.manifest.window}`, c.source.hotkey, c.manifest.window, error);
          failedAt = i;
          break;
        }
      }
      if (failedAt < 0) break;
      end = failedAt;
    }
    const accepted: Manifest[] = [];
    for (let i = 0; i < end; i++) {
      const c = links[i]!;
      const checkpoint = fetched.get(i);
      if (checkpoint) this.heldByWindow.set(c.manifest.window, { manifest: c.manifest, signer: c.signer, checkpoint });
      this.chain.push(c.manifest);
      accepted.push(c.manifest);
    }
    this.trim();
    for (const m of accepted) this.options.logger?.info('checkpoint accepted', { window: m.window, paramsHash: m.paramsHash });
    return { accepted, rejected };
  }

  private refuse(rejected: Rejection[], id: string, source: string, window: number, error: unknown): void {
    const reason = String(describeError(error).message);
    this.refused.add(id);
    rejected.push({ source, window, reason });
    this.options.logger?.warn('checkpoint refused', { source, window, reason });
  }

  private trim(): void {
    const keep = this.options.keep ?? 3;
    const windows = [...this.heldByWindow.keys()].sort((a, b) => b - a);
    for (const w of windows.slice(keep)) this.heldByWindow.delete(w);
  }
}
