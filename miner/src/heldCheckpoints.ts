import { CrucibleError, describeError, type Logger } from '@crucible/core';
import { decodeCheckpoint, encodeCheckpoint, hashCheckpoint } from '@crucible/model';
import {
  CheckpointFollower,
  decodeManifest,
  MAX_MANIFEST_BYTES,
  pickBaseWindow,
  type CheckpointSource,
  type HeldCheckpoint,
  type SignerPolicy,
  type SyncResult,
} from '@crucible/protocol';
import { checkpointManifestKey } from '@crucible/storage';
import type { StateStore } from './stateStore.js';

/**
 * The checkpoints a miner trains from: a CheckpointFollower (which accepts only correctly signed,
 * linked and hash-verified checkpoints) whose held checkpoints are also kept in the state folder with
 * their signed manifest bytes, and re-verified the same way when a restarted miner loads them.
 */
export class HeldCheckpoints {
  readonly follower: CheckpointFollower;

  constructor(
    private readonly store: StateStore,
    private readonly policy: SignerPolicy,
    private readonly logger: Logger,
    keep = 3,
  ) {
    this.follower = new CheckpointFollower({ policy, keep, logger });
  }

  /** Adopts the checkpoints saved by an earlier run that still verify; returns how many. */
  async restore(): Promise<number> {
    let adopted = 0;
    let previous: HeldCheckpoint | undefined;
    for (const saved of this.store.state.checkpoints) {
      try {
        const signed = decodeManifest(await this.store.read(saved.manifest), { expectedSigner: saved.signer, maxBytes: MAX_MANIFEST_BYTES });
        const authorized = await this.policy.authorizedSigner(signed.manifest);
        if (authorized !== signed.signer) throw new CrucibleError('CHECKPOINT_INVALID', `signed by ${signed.signer}, the chain says ${authorized ?? 'nobody'} may sign it`);
        const checkpoint = decodeCheckpoint(await this.store.read(saved.params));
        const hash = hashCheckpoint(checkpoint);
        if (hash !== signed.manifest.paramsHash) throw new CrucibleError('CHECKPOINT_INVALID', `parameters hash to ${hash}, the manifest says ${signed.manifest.paramsHash}`);
        if (previous && (signed.manifest.parentHash !== previous.manifest.paramsHash || signed.manifest.parentWindow !== previous.manifest.window)) {
          // Held checkpoints need not be consecutive links; the newest is what matters.
          this.logger.debug('saved checkpoints are not directly linked', { window: saved.window });
        }
        const held = { manifest: signed.manifest, signer: signed.signer, checkpoint };
        this.follower.adopt(held);
        previous = held;
        adopted++;
      } catch (error) {
        this.logger.warn('saved checkpoint failed re-verification; dropped', { window: saved.window, reason: describeError(error).message });
      }
    }
    return adopted;
  }

  /** Looks for new checkpoints and saves the ones accepted (with their manifest bytes). */
  async sync(sources: readonly CheckpointSource[]): Promise<SyncResult> {
    const result = await this.follower.sync(sources);
    if (result.accepted.length > 0) await this.persist(sources);
    return result;
  }

  head(): HeldCheckpoint | undefined {
    return this.follower.head();
  }

  /** base(w): the held checkpoint with the newest window ≤ w − 2 (undefined when there is none yet). */
  baseFor(window: number): HeldCheckpoint | undefined {
    const held = this.follower.manifests().map((m) => m.window).filter((w) => this.follower.held(w) !== undefined);
    const base = pickBaseWindow(held, window);
    return base === undefined ? undefined : this.follower.held(base);
  }

  private async persist(sources: readonly CheckpointSource[]): Promise<void> {
    const held = this.follower
      .manifests()
      .map((m) => this.follower.held(m.window))
      .filter((h): h is HeldCheckpoint => h !== undefined);
    const saved = new Map(this.store.state.checkpoints.map((c) => [c.window, c]));
    const files: Record<string, Uint8Array> = {};
    const records: Array<{ window: number; params: string; manifest: string; signer: string }> = [];
    for (const h of held) {
      const existing = saved.get(h.manifest.window);
      if (existing && existing.signer === h.signer) {
        records.push(existing);
        continue;
      }
      const manifestBytes = await this.manifestBytes(h, sources);
      if (!manifestBytes) continue;
      const params = this.store.fileName(`checkpoint-${h.manifest.window}`, 'safetensors');
      const manifest = this.store.fileName(`checkpoint-${h.manifest.window}`, 'crm');
      files[params] = encodeCheckpoint(h.checkpoint);
      files[manifest] = manifestBytes;
      records.push({ window: h.manifest.window, params, manifest, signer: h.signer });
    }
    await this.store.commit(files, (s) => ({ ...s, checkpoints: records }));
  }

  /** The signed manifest bytes of an accepted checkpoint, from whichever source serves the same one. */
  private async manifestBytes(held: HeldCheckpoint, sources: readonly CheckpointSource[]): Promise<Uint8Array | undefined> {
    for (const source of sources) {
      try {
        const object = await source.store.get(checkpointManifestKey(held.manifest.window), { maxBytes: MAX_MANIFEST_BYTES, timeoutMs: 30_000 });
        const signed = decodeManifest(object.body, { expectedSigner: held.signer });
        if (signed.manifest.paramsHash === held.manifest.paramsHash) return object.body;
      } catch {
        // Not in this source (or not this one); try the next.
      }
    }
    this.logger.warn('accepted checkpoint could not be saved: its manifest is no longer served', { window: held.manifest.window });
    return undefined;
  }
}
