import { CrucibleError, describeError, type Logger } from '@crucible/core';
import type { Checkpoint } from '@crucible/model';
import type { ObjectStore } from '@crucible/storage';
import { fetchParams, getManifest } from './checkpointStore.js';
import { sameRun, type Manifest, type SignedManifest } from './manifest.js';
import type { RunConfig } from '../run/runConfig.js';
import { isForgery, retryTransient, type RetryPolicy } from './transient.js';

export interface CheckpointSource {
  /** The hotkey whose bucket this is (taken from its on-chain commitment). */
  hotkey: string;
  store: ObjectStore;
  /**
   * Searched for checkpoints that are not in their signer's own bucket (validators with a permit and
   * the owner; default true). Any other neuron's bucket is read only for checkpoints it signed: an
   * aggregator that lost its permit since (stake moved away) still serves the windows it was elected for.
   */
  searched?: boolean;
}

/** A checkpoint a follower has, or is about to, put in its chain. */
export interface FollowedLink {
  manifest: Manifest;
  /** ss58 of the manifest's signer (its signature verified). */
  signer: string;
  /** Hotkey of the bucket it was read from (for a node's own checkpoints, its own hotkey). */
  source: string;
  /** The signed manifest exactly as published: what is persisted and re-verified after a restart. */
  bytes: Uint8Array;
  /**
   * Why it is trusted: `elected` (its signer is the aggregator the chain elected for its window),
   * `linked` (its parameters hash is the parentHash of a trusted child), `genesis` (signed by the subnet
   * owner), `saved` (verified by this node before a restart), `own` (this node published it).
   */
  trust: 'elected' | 'linked' | 'genesis' | 'saved' | 'own';
}

export interface Rejection {
  source: string;
  window: number;
  reason: string;
}

/**
 * The reads of one sync, with what they found wrong: proven forgeries go to `rejected` and to the
 * follower's refused set (never fetched again); everything else to `transient` (tried again next sync).
 */
export class SyncReads {
  readonly rejected: Rejection[] = [];
  readonly transient: Rejection[] = [];

  constructor(
    readonly sources: readonly CheckpointSource[],
    private readonly refused: Map<string, string>,
    private readonly retry: RetryPolicy,
    private readonly logger: Logger | undefined,
  ) {}

  /** Retries `op` while it fails transiently; undefined (reported as transient) when it keeps failing. */
  async attempt<T>(what: { source: string; window: number }, op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await retryTransient(op, this.retry);
    } catch (error) {
      this.failed(what.source, what.window, error);
      return undefined;
    }
  }

  failed(source: string, window: number, error: unknown): void {
    const reason = String(describeError(error).message);
    this.transient.push({ source, window, reason });
    this.logger?.info('checkpoint read failed; will try again', { source, window, reason });
  }

  isRefused(source: string, window: number): boolean {
    return this.refused.has(`${source}/${window}`);
  }

  refuse(source: string, window: number, error: unknown): void {
    const reason = String(describeError(error).message);
    this.refused.set(`${source}/${window}`, reason);
    this.rejected.push({ source, window, reason });
    this.logger?.warn('checkpoint refused', { source, window, reason });
  }

  /**
   * The manifest of `window` in `source` (one GET of its exact key), when there is one that verifies.
   * A forgery is refused; a read that keeps failing is reported; both answer undefined.
   */
  async manifest(source: CheckpointSource, window: number): Promise<{ signed: SignedManifest; bytes: Uint8Array } | undefined> {
    if (this.isRefused(source.hotkey, window)) return undefined;
    try {
      return await retryTransient(() => getManifest(source.store, window), this.retry);
    } catch (error) {
      if (isForgery(error)) this.refuse(source.hotkey, window, error);
      else this.failed(source.hotkey, window, error);
      return undefined;
    }
  }

  /**
   * The parent of `child`, from any source (the child's own first): a manifest whose parameters hash is
   * the child's parentHash is authentic whoever serves it, so no chain state is read. A manifest at
   * that key with another hash, or another run configuration, is refused.
   */
  async parent(child: FollowedLink, run: RunConfig): Promise<FollowedLink | undefined> {
    const m = child.manifest;
    if (m.parentHash === null || m.parentWindow === null) return undefined;
    for (const source of this.ordered(child.source)) {
      const found = await this.manifest(source, m.parentWindow);
      if (!found) continue;
      const p = found.signed.manifest;
      if (p.paramsHash !== m.parentHash) {
        this.refuse(source.hotkey, m.parentWindow, new CrucibleError('CHECKPOINT_INVALID', `manifest of window ${p.window} has parameters ${p.paramsHash}, but its child (window ${m.window}) names ${m.parentHash}: not the parent`));
        continue;
      }
      if (!sameRun(p.run, run)) {
        this.refuse(source.hotkey, m.parentWindow, new CrucibleError('CHECKPOINT_INVALID', `window ${p.window}'s run configuration differs from the chain it belongs to`));
        continue;
      }
      return { manifest: p, signer: found.signed.signer, source: source.hotkey, bytes: found.bytes, trust: p.parentHash === null ? 'genesis' : 'linked' };
    }
    return undefined;
  }

  /**
   * The verified parameters of `link`, from the bucket its manifest came from, else its signer's.
   * Undefined when neither serves them (gone to retention, or failing): reported, never refused.
   * Parameters that do not hash to the manifest's paramsHash are a forgery of that bucket: refused.
   */
  async params(link: FollowedLink, timeoutMs?: number): Promise<Checkpoint | undefined> {
    const window = link.manifest.window;
    const where = this.sources.filter((s) => s.hotkey === link.source || s.hotkey === link.signer).sort((a) => (a.hotkey === link.source ? -1 : 1));
    for (const source of where) {
      if (this.isRefused(source.hotkey, window)) continue;
      try {
        return await retryTransient(() => fetchParams(source.store, link.manifest, timeoutMs === undefined ? {} : { timeoutMs }), this.retry);
      } catch (error) {
        if (isForgery(error)) this.refuse(source.hotkey, window, error);
        else this.failed(source.hotkey, window, error);
      }
    }
    if (where.length === 0) this.transient.push({ source: link.source, window, reason: `no bucket of ${link.source} to read window ${window}'s parameters from` });
    return undefined;
  }

  /** The sources searched when a checkpoint is not in its signer's bucket. */
  searched(): CheckpointSource[] {
    return this.sources.filter((s) => s.searched !== false);
  }

  /** `first` (a hotkey), then every other searched source. */
  private ordered(first: string): CheckpointSource[] {
    return [...this.sources.filter((s) => s.hotkey === first), ...this.searched().filter((s) => s.hotkey !== first)];
  }
}
