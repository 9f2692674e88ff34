import { describeError, type Logger } from '@crucible/core';
import { decodeCheckpoint, encodeCheckpoint } from '@crucible/model';
import { CheckpointFollower, pickBaseWindow, type CheckpointSource, type HeldCheckpoint, type SavedLink, type SignerPolicy, type SyncResult } from '@crucible/protocol';
import type { FileContent, StateStore } from './stateStore.js';

/**
 * The checkpoints a miner trains from: a CheckpointFollower (which joins at the newest checkpoint it
 * can trust and accepts only correctly signed, linked and hash-verified ones) whose newest links are
 * also kept in the state folder — the signed manifest bytes as published and the parameters it holds —
 * and re-verified offline (signatures, links, hashes) when a restarted miner loads them, so a restart
 * resumes from what it had verified without reading old chain state.
 */
export class HeldCheckpoints {
  readonly follower: CheckpointFollower;

  constructor(
    private readonly store: StateStore,
    policy: SignerPolicy,
    private readonly logger: Logger,
    keep = 3,
  ) {
    this.follower = new CheckpointFollower({ policy, keep, logger });
  }

  /** Adopts the links saved by an earlier run that still verify; returns how many. */
  async restore(): Promise<number> {
    const saved: SavedLink[] = [];
    for (const record of this.store.state.checkpoints) {
      try {
        const bytes = await this.store.read(record.manifest);
        const checkpoint = record.params === null ? undefined : decodeCheckpoint(await this.store.read(record.params));
        saved.push({ bytes, source: record.source ?? record.signer, ...(checkpoint ? { checkpoint } : {}) });
      } catch (error) {
        // Unreadable files end the saved chain here (what follows could not be linked to it).
        this.logger.warn('saved checkpoint failed re-verification; dropped', { window: record.window, reason: describeError(error).message });
        break;
      }
    }
    return this.follower.restore(saved);
  }

  /** Looks for new checkpoints and saves the ones accepted (with their manifest bytes). */
  async sync(sources: readonly CheckpointSource[]): Promise<SyncResult> {
    const result = await this.follower.sync(sources);
    if (result.accepted.length > 0) await this.persist();
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

  /** Writes the links the follower would resume from; files already saved for a link are reused. */
  private async persist(): Promise<void> {
    const links = this.follower.links();
    const saved = this.follower.saved();
    const existing = new Map(this.store.state.checkpoints.filter((c) => c.hash !== undefined).map((c) => [c.hash!, c]));
    const files: Record<string, FileContent> = {};
    const records: Array<(typeof this.store.state.checkpoints)[number]> = [];
    for (const [i, s] of saved.entries()) {
      const link = links[links.length - saved.length + i]!;
      const hash = link.manifest.paramsHash;
      const window = link.manifest.window;
      const before = existing.get(hash);
      const manifest = before?.manifest ?? this.store.fileName(`checkpoint-${window}`, 'crm');
      if (!before) files[manifest] = s.bytes;
      let params: string | null = null;
      if (s.checkpoint) {
        params = before?.params ?? this.store.fileName(`checkpoint-${window}`, 'safetensors');
        if (!before?.params) files[params] = encodeCheckpoint(s.checkpoint);
      }
      records.push({ window, params, manifest, signer: link.signer, source: link.source, hash });
    }
    await this.store.commit(files, (state) => ({ ...state, checkpoints: records }));
  }
}
